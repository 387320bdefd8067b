/**
 * Prometheus metrics in the text exposition format (version 0.0.4), written by hand: a node needs
 * a few counters and gauges, not a client library. Gauges whose value lives elsewhere (queue
 * depths in Redis, connected peers) are read when scraped through `collect` callbacks.
 */
import { createServer, type Server } from "node:http";

type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly type: "counter" | "gauge" | "histogram";
  readonly help: string;
  readonly values: Map<string, { labels: Labels; value: number }>;
  /** Histograms: upper bounds, and the count of observations at or below each (then +Inf, sum). */
  readonly buckets?: readonly number[];
  readonly histogram?: { counts: number[]; sum: number; count: number };
}

function labelKey(labels: Labels): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",");
}

function escape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

export class Metrics {
  readonly #families = new Map<string, Family>();
  readonly #collectors: (() => Promise<void> | void)[] = [];

  define(name: string, type: Family["type"], help: string, buckets: readonly number[] = []): void {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new RangeError(`bad metric name ${name}`);
    if (this.#families.has(name)) return;
    if (type !== "histogram") this.#families.set(name, { type, help, values: new Map() });
    else this.#families.set(name, { type, help, values: new Map(), buckets, histogram: { counts: buckets.map(() => 0), sum: 0, count: 0 } });
  }

  /** One observation of a histogram (no labels: one series per histogram is all a node needs). */
  observe(name: string, value: number): void {
    const f = this.#family(name);
    if (f.histogram === undefined || f.buckets === undefined) throw new RangeError(`metric ${name} is not a histogram`);
    f.buckets.forEach((bound, i) => {
      if (value <= bound) f.histogram!.counts[i]!++;
    });
    f.histogram.sum += value;
    f.histogram.count++;
  }

  #family(name: string): Family {
    const f = this.#families.get(name);
    if (f === undefined) throw new RangeError(`metric ${name} is not defined`);
    return f;
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const f = this.#family(name);
    const k = labelKey(labels);
    const entry = f.values.get(k);
    if (entry === undefined) f.values.set(k, { labels, value: by });
    else entry.value += by;
  }

  set(name: string, value: number, labels: Labels = {}): void {
    this.#family(name).values.set(labelKey(labels), { labels, value });
  }

  get(name: string, labels: Labels = {}): number {
    return this.#family(name).values.get(labelKey(labels))?.value ?? 0;
  }

  /** Runs before each scrape, to refresh gauges kept elsewhere. */
  onCollect(collect: () => Promise<void> | void): void {
    this.#collectors.push(collect);
  }

  async render(): Promise<string> {
    for (const c of this.#collectors) {
      try {
        await c();
      } catch {
        // A collector whose source is down (Redis) leaves its last value; the scrape still answers.
      }
    }
    const lines: string[] = [];
    for (const [name, f] of this.#families) {
      lines.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
      if (f.histogram !== undefined) {
        f.buckets!.forEach((bound, i) => lines.push(`${name}_bucket{le="${bound}"} ${f.histogram!.counts[i]}`));
        lines.push(`${name}_bucket{le="+Inf"} ${f.histogram.count}`, `${name}_sum ${f.histogram.sum}`, `${name}_count ${f.histogram.count}`);
        continue;
      }
      if (f.values.size === 0 && f.type === "counter") lines.push(`${name} 0`);
      for (const { labels, value } of f.values.values()) {
        const l = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(",");
        lines.push(`${name}${l === "" ? "" : `{${l}}`} ${Number.isFinite(value) ? value : 0}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }

  /**
   * Serves GET /metrics on host:port, and the probes process supervisors and Kubernetes use:
   * GET /health (200 while the process answers) and GET /ready (200 when `ready()` says so, 503
   * otherwise; both with a JSON body). Resolves with the server once it listens.
   */
  async serve(host: string, port: number, ready?: () => { ready: boolean }): Promise<Server> {
    const server = createServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if (req.method === "GET" && path === "/health") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"alive"}\n');
        return;
      }
      if (req.method === "GET" && path === "/ready" && ready !== undefined) {
        const r = ready();
        res.writeHead(r.ready ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(r)}\n`);
        return;
      }
      if (req.method !== "GET" || path !== "/metrics") {
        res.writeHead(404).end("not found\n");
        return;
      }
      this.render().then(
        (body) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(body),
        (e: Error) => res.writeHead(500).end(`${e.message}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }
}

/** Parses the exposition text back into `name{labels}` → value (tests and tools). */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}
