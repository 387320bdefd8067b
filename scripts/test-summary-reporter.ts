/**
 * A Node test-runner reporter that counts passed and failed tests (not suites) and writes
 * `{"passed":N,"failed":N}`; scripts/test.ts prints the closing summary line from it.
 */
interface TestEvent {
  type: string;
  data: { details?: { type?: string } };
}

export default async function* summaryReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.data.details?.type === "suite") continue;
    if (event.type === "test:pass") passed++;
    else if (event.type === "test:fail") failed++;
  }
  yield JSON.stringify({ passed, failed });
}
