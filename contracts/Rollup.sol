// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Bridge} from "./Bridge.sol";
import {Committee} from "./Committee.sol";
import {IFinalizedBlocks} from "./interfaces/IFinalizedBlocks.sol";
import {CommitProof} from "./protocol/CommitProof.sol";
import {ExitWindow} from "./escape/ExitWindow.sol";
import {Digests} from "./protocol/Digests.sol";
import {Header, HeaderHash} from "./protocol/Header.sol";

/// @title Rollup
/// @notice Settlement: L2 blocks become final here when a batch of headers extending the
/// finalized head comes with the two-chain commit proof of its last header (DESIGN §6), checked
/// against the committee's keys on-chain. `isFinalized(number, hash)` answers finality for anyone.
///
/// Rules checked for every new header (cheap ones first, the pairing last):
///  * it extends the previous one by hash and number (the first one extends a finalized block);
///  * keccak256(blockData[i]) == dataHash, so L1 holds all data needed to rebuild L2 state;
///  * l1Origin never decreases and is an L1 block before this one (its hash must exist);
///  * l1OriginHash is L1's hash of block l1Origin (`blockhash`): a chain built on an L1 block that
///    a reorg replaced does not settle. `blockhash` knows the last 256 blocks only; an older origin
///    settles unchecked: it is far below L1's finality by then (members read L1 at a depth of at
///    most 128 blocks and check every proposal's origin hash), and refusing would leave a chain
///    that could not settle for 256 blocks (an L1 outage, every settler down) stuck for good;
///  * inboxCursor never decreases, inboxHash is the Inbox's accumulated hash at that cursor, and
///    the first entry it leaves unconsumed (index inboxCursor) is not yet due at l1Origin, i.e.
///    entryL1Block + inclusionDeadline > l1Origin (the L2's own execution rule, mirrored);
///  * forced inclusion (DESIGN §5): the first entry the batch's last header leaves unconsumed is
///    not due at the settling L1 block, entryL1Block + inclusionDeadline > block.number. Counted
///    from L1's clock, not from an l1Origin the committee picks: an entry posted in L1 block b is
///    in the settled chain by block b + inclusionDeadline, or no batch settles from then on.
/// Resubmitting finalized headers is a no-op; a batch that conflicts with a finalized block is
/// refused, unless its commit proof verifies: then the committee has certified two conflicting
/// blocks (a safety violation) and settlement freezes for good.
///
/// Exit mode (`enterExitMode`, escape/ExitWindow.sol): when the committee stops settling what it
/// owes, or after a freeze, anyone ends settlement for good and the Bridge pays every account its
/// balance in the finalized head's state (escape/EscapeHatch.sol).
contract Rollup is IFinalizedBlocks {
    struct Conflict {
        uint256 number;
        bytes32 finalizedHash;
        bytes32 hash;
    }

    struct FinalizedBlock {
        bytes32 hash;
        bytes32 stateRoot;
        bytes32 withdrawalsRoot;
    }

    /// @dev The previous header while a batch is walked (or the finalized head before it), and
    /// the last Inbox checkpoint read, so consecutive headers with one cursor read it once.
    struct Link {
        uint256 number;
        bytes32 hash;
        uint256 inboxCursor;
        uint256 l1Origin;
        bytes32 l1OriginHash;
        uint256 checkpointCursor;
        bytes32 checkpointHash;
        uint256 nextDueAt;
    }

    /// @notice Fewest L1 blocks an entry may wait: one to be read by the committee, one to settle.
    uint256 public constant MIN_INCLUSION_DEADLINE = 2;
    /// @notice Most L1 blocks an entry may wait: 30 days of 12-second blocks. A longer wait is no
    /// inclusion guarantee, and the bound keeps entryL1Block + inclusionDeadline far from overflow.
    uint256 public constant MAX_INCLUSION_DEADLINE = 216_000;

    Committee private immutable _committee;
    Bridge private immutable _bridge;
    uint256 private immutable _l2ChainId;
    uint256 private immutable _inclusionDeadline;

    /// @dev The finalized head's number and the two fields the next header is checked against,
    /// packed in one slot (one read and one write per batch). 64 bits hold any block number,
    /// Inbox position or L1 block this chain will see.
    struct Head {
        uint64 number;
        uint64 inboxCursor;
        uint64 l1Origin;
        bool frozen;
        bool exiting;
    }

    mapping(uint256 number => FinalizedBlock) private _finalized;
    Head private _head;

    event BlockFinalized(uint256 indexed number, bytes32 indexed hash, bytes32 stateRoot, bytes32 withdrawalsRoot);
    event BatchSettled(uint256 indexed firstNumber, uint256 indexed lastNumber, uint256 epoch);
    event SafetyViolation(uint256 indexed number, bytes32 finalizedHash, bytes32 conflictingHash, uint256 epoch);
    event ExitModeEntered(uint256 indexed number, bytes32 stateRoot, uint256 inboxCursor, bool frozen);

    error InvalidGenesis();
    error ChainIdMismatch(uint256 rollupChainId, uint256 committeeChainId);
    error SettlementFrozen();
    error ExitModeActive();
    error ExitModeNotAllowed(uint256 entryIndex, uint256 allowedFrom, uint256 l1Block);
    error EmptyBatch();
    error BlockDataCountMismatch(uint256 headers, uint256 blockData);
    error Gap(uint256 expectedNumber, uint256 number);
    error NotConsecutive(uint256 expectedNumber, uint256 number);
    error ParentHashMismatch(uint256 number, bytes32 expected, bytes32 parentHash);
    error DataHashMismatch(uint256 number, bytes32 dataHash, bytes32 actual);
    error L1OriginDecreased(uint256 number, uint256 previous, uint256 l1Origin);
    error L1OriginInFuture(uint256 number, uint256 l1Origin, uint256 l1Block);
    error L1OriginHashMismatch(uint256 number, uint256 l1Origin, bytes32 expected, bytes32 l1OriginHash);
    error InboxCursorDecreased(uint256 number, uint256 previous, uint256 inboxCursor);
    error InboxHashMismatch(uint256 number, uint256 inboxCursor, bytes32 expected, bytes32 inboxHash);
    error DueInboxEntrySkipped(uint256 number, uint256 entryIndex, uint256 dueAt, uint256 l1Origin);
    error DueInboxEntryNotSettled(uint256 entryIndex, uint256 dueBy, uint256 l1Block);
    error InvalidInclusionDeadline(uint256 inclusionDeadline, uint256 min, uint256 max);
    error NotTwoChain(uint256 blockView, uint256 childView);
    error QcViewMismatch(uint256 expected, uint256 viewNumber);
    error WrongEpoch(uint256 epoch, uint256 currentEpoch);
    error InvalidCommitProof(uint256 number, bytes32 hash, uint256 epoch);
    error ConflictsWithFinalized(uint256 number, bytes32 finalizedHash, bytes32 hash);

    /// @param committee_ The committee whose QCs finalize blocks (sealed to this Rollup afterwards).
    /// @param l2ChainId_ The L2 chain id every digest and block hash names.
    /// @param genesis The genesis header (number 0, empty Inbox); final from the start.
    /// @param inclusionDeadline L1 blocks within which an Inbox entry must be in a settled block,
    /// MIN_INCLUSION_DEADLINE to MAX_INCLUSION_DEADLINE.
    constructor(Committee committee_, uint256 l2ChainId_, Header memory genesis, uint256 inclusionDeadline) {
        // 0 would make every entry due in its own block (no batch could ever settle after a
        // deposit); a huge one overflows entryL1Block + inclusionDeadline in the Inbox.
        if (inclusionDeadline < MIN_INCLUSION_DEADLINE || inclusionDeadline > MAX_INCLUSION_DEADLINE) {
            revert InvalidInclusionDeadline(inclusionDeadline, MIN_INCLUSION_DEADLINE, MAX_INCLUSION_DEADLINE);
        }
        if (genesis.number != 0 || genesis.inboxCursor != 0 || genesis.inboxHash != bytes32(0)) {
            revert InvalidGenesis();
        }
        uint256 committeeChainId = committee_.l2ChainId();
        if (committeeChainId != l2ChainId_) revert ChainIdMismatch(l2ChainId_, committeeChainId);
        _committee = committee_;
        _l2ChainId = l2ChainId_;
        _inclusionDeadline = inclusionDeadline;
        _bridge = new Bridge(this, inclusionDeadline);
        bytes32 hash = HeaderHash.hash(genesis, l2ChainId_, address(this));
        _finalized[0] = FinalizedBlock(hash, genesis.stateRoot, genesis.withdrawalsRoot);
        _head.l1Origin = uint64(genesis.l1Origin);
        emit BlockFinalized(0, hash, genesis.stateRoot, genesis.withdrawalsRoot);
    }

    /// @notice Finalizes `headers` (a chain extending a finalized block) with the commit proof of
    /// the last one. Already-final headers are skipped; a batch of only final headers is a no-op.
    /// @param headers Consecutive headers; headers[0].parentHash is a finalized block's hash.
    /// @param blockData Each header's block data (the encoded transactions), hashed to dataHash.
    /// @param proof The last header's two-chain: its child and the QCs over both.
    function settle(Header[] calldata headers, bytes[] calldata blockData, CommitProof calldata proof) external {
        Head memory head = _head;
        if (head.frozen) revert SettlementFrozen();
        if (head.exiting) revert ExitModeActive();
        uint256 count = headers.length;
        if (count == 0) revert EmptyBatch();
        if (blockData.length != count) revert BlockDataCountMismatch(count, blockData.length);
        uint256 headNumber = head.number;
        uint256 first = headers[0].number;
        if (first > headNumber + 1) revert Gap(headNumber + 1, first);
        if (first == 0) revert NotConsecutive(1, 0); // genesis is final by construction
        Link memory link = Link({
            number: first - 1,
            hash: _finalized[first - 1].hash,
            inboxCursor: head.inboxCursor,
            l1Origin: head.l1Origin,
            l1OriginHash: 0,
            checkpointCursor: type(uint256).max,
            checkpointHash: 0,
            nextDueAt: 0
        });
        uint256 firstNew = count;
        Conflict memory conflict;
        bytes32[] memory hashes = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            Header calldata h = headers[i];
            if (h.number != link.number + 1) revert NotConsecutive(link.number + 1, h.number);
            if (h.parentHash != link.hash) revert ParentHashMismatch(h.number, link.hash, h.parentHash);
            bytes32 hash = HeaderHash.hash(h, _l2ChainId, address(this));
            if (h.number <= headNumber) {
                bytes32 finalHash = _finalized[h.number].hash;
                if (hash != finalHash && conflict.hash == 0) conflict = Conflict(h.number, finalHash, hash);
            } else {
                if (firstNew == count) firstNew = i;
                if (conflict.hash == 0) _checkNewBlock(h, blockData[i], link);
            }
            (link.number, link.hash, link.inboxCursor) = (h.number, hash, h.inboxCursor);
            (link.l1Origin, link.l1OriginHash) = (h.l1Origin, h.l1OriginHash);
            hashes[i] = hash;
        }
        if (conflict.hash == 0) {
            if (firstNew == count) return; // already final: idempotent no-op
            // The last header is new, so _checkNewBlock left its cursor's checkpoint in `link`.
            if (link.nextDueAt <= block.number) {
                revert DueInboxEntryNotSettled(link.inboxCursor, link.nextDueAt, block.number);
            }
        }
        bool valid = _verifyCommitProof(headers[count - 1], link.hash, proof);
        if (conflict.hash != 0) {
            if (!valid) revert ConflictsWithFinalized(conflict.number, conflict.finalizedHash, conflict.hash);
            _head.frozen = true;
            // Nothing appended from now on could ever be settled: refuse it rather than lock the ETH.
            _bridge.closeInbox();
            emit SafetyViolation(conflict.number, conflict.finalizedHash, conflict.hash, proof.epoch);
            return;
        }
        if (!valid) revert InvalidCommitProof(link.number, link.hash, proof.epoch);
        _finalize(headers, hashes, firstNew);
        // Safe casts: numbers grow by one per block, the cursor is at most the Inbox's entry count
        // and l1Origin at most block.number (all checked above), each far below 2^64.
        _head = Head(uint64(link.number), uint64(link.inboxCursor), uint64(link.l1Origin), false, false);
        emit BatchSettled(headers[firstNew].number, link.number, proof.epoch);
        _committee.advanceEpoch();
    }

    /// @notice Puts the rollup in exit mode for good: settlement, deposits and forced transactions
    /// are refused, and the Bridge pays each account its balance in the finalized head's state.
    /// Anyone may call it once the first unconsumed Inbox entry is EXIT_WINDOW blocks past due
    /// (escape/ExitWindow.sol), or at once after a safety violation froze settlement.
    function enterExitMode() external {
        Head memory head = _head;
        if (head.exiting) revert ExitModeActive();
        if (!head.frozen) {
            (, uint256 nextDueAt) = _bridge.inboxCheckpoint(head.inboxCursor);
            uint256 allowedFrom = ExitWindow.opensAt(nextDueAt);
            if (block.number < allowedFrom) revert ExitModeNotAllowed(head.inboxCursor, allowedFrom, block.number);
        }
        _head.exiting = true;
        bytes32 stateRoot = _finalized[head.number].stateRoot;
        // Nothing appended from now on could ever be settled (already closed after a freeze).
        _bridge.closeInbox();
        _bridge.openExit(head.number, stateRoot, head.inboxCursor);
        emit ExitModeEntered(head.number, stateRoot, head.inboxCursor, head.frozen);
    }

    /// @notice Whether the rollup is in exit mode (settlement refused for good).
    function exitMode() external view returns (bool) {
        return _head.exiting;
    }

    /// @notice L1 blocks past an Inbox entry's due block after which anyone may enter exit mode.
    function exitWindow() external pure returns (uint256) {
        return ExitWindow.EXIT_WINDOW;
    }

    /// @notice Whether block `number` with hash `hash` is final.
    function isFinalized(uint256 number, bytes32 hash) external view returns (bool) {
        return hash != bytes32(0) && _finalized[number].hash == hash;
    }

    /// @notice The highest finalized block.
    function finalizedHead() external view returns (uint256 number, bytes32 hash) {
        number = _head.number;
        hash = _finalized[number].hash;
    }

    /// @inheritdoc IFinalizedBlocks
    function finalizedBlock(uint256 number)
        external
        view
        returns (bytes32 hash, bytes32 stateRoot, bytes32 withdrawalsRoot)
    {
        FinalizedBlock storage b = _finalized[number];
        return (b.hash, b.stateRoot, b.withdrawalsRoot);
    }

    /// @notice The block hash of `header` on this deployment (src/protocol/header.ts hashHeader).
    function hashHeader(Header calldata header) external view returns (bytes32) {
        return HeaderHash.hash(header, _l2ChainId, address(this));
    }

    /// @notice The digest members sign to vote for `blockHash` in `view` of `epoch`.
    function voteDigest(uint256 epoch, uint256 viewNumber, bytes32 blockHash) external view returns (bytes32) {
        return Digests.vote(_l2ChainId, address(this), epoch, viewNumber, blockHash);
    }

    /// @notice Whether settlement stopped after a verified safety violation.
    function frozen() external view returns (bool) {
        return _head.frozen;
    }

    /// @notice The Committee whose QCs finalize blocks.
    function committee() external view returns (address) {
        return address(_committee);
    }

    /// @notice The Bridge, which is also the Inbox.
    function bridge() external view returns (address) {
        return address(_bridge);
    }

    /// @notice The L2 chain id.
    function l2ChainId() external view returns (uint256) {
        return _l2ChainId;
    }

    function _checkNewBlock(Header calldata h, bytes calldata data, Link memory link) private view {
        bytes32 actual = keccak256(data);
        if (actual != h.dataHash) revert DataHashMismatch(h.number, h.dataHash, actual);
        if (h.l1Origin < link.l1Origin) revert L1OriginDecreased(h.number, link.l1Origin, h.l1Origin);
        // The current block's hash is not known yet: an origin must be an earlier block.
        if (h.l1Origin >= block.number) revert L1OriginInFuture(h.number, h.l1Origin, block.number);
        if (h.l1Origin != link.l1Origin || h.l1OriginHash != link.l1OriginHash) {
            // blockhash is 0 beyond its 256-block window: such an origin is not checked (see above).
            bytes32 expected = blockhash(h.l1Origin);
            if (expected != 0 && h.l1OriginHash != expected) {
                revert L1OriginHashMismatch(h.number, h.l1Origin, expected, h.l1OriginHash);
            }
        }
        if (h.inboxCursor < link.inboxCursor) revert InboxCursorDecreased(h.number, link.inboxCursor, h.inboxCursor);
        if (h.inboxCursor != link.checkpointCursor) {
            (link.checkpointHash, link.nextDueAt) = _bridge.inboxCheckpoint(h.inboxCursor);
            link.checkpointCursor = h.inboxCursor;
        }
        if (h.inboxHash != link.checkpointHash) {
            revert InboxHashMismatch(h.number, h.inboxCursor, link.checkpointHash, h.inboxHash);
        }
        if (link.nextDueAt <= h.l1Origin) revert DueInboxEntrySkipped(h.number, h.inboxCursor, link.nextDueAt, h.l1Origin);
    }

    /// @dev Structural checks of the two-chain, then both QCs in one pairing (Committee).
    function _verifyCommitProof(Header calldata last, bytes32 lastHash, CommitProof calldata proof)
        private
        view
        returns (bool)
    {
        Header calldata child = proof.child;
        if (child.number != last.number + 1) revert NotConsecutive(last.number + 1, child.number);
        if (child.parentHash != lastHash) revert ParentHashMismatch(child.number, lastHash, child.parentHash);
        if (child.viewNumber != last.viewNumber + 1) revert NotTwoChain(last.viewNumber, child.viewNumber);
        if (proof.justify.viewNumber != last.viewNumber) revert QcViewMismatch(last.viewNumber, proof.justify.viewNumber);
        if (proof.childQc.viewNumber != child.viewNumber) revert QcViewMismatch(child.viewNumber, proof.childQc.viewNumber);
        uint256 epoch = _committee.currentEpoch();
        if (proof.epoch != epoch) revert WrongEpoch(proof.epoch, epoch);
        bytes32 childHash = HeaderHash.hash(child, _l2ChainId, address(this));
        return _committee.verifyQuorumPair(
            epoch,
            Digests.vote(_l2ChainId, address(this), epoch, last.viewNumber, lastHash),
            proof.justify.signers,
            proof.justify.signature,
            Digests.vote(_l2ChainId, address(this), epoch, child.viewNumber, childHash),
            proof.childQc.signers,
            proof.childQc.signature
        );
    }

    function _finalize(Header[] calldata headers, bytes32[] memory hashes, uint256 firstNew) private {
        for (uint256 i = firstNew; i < headers.length; ++i) {
            Header calldata h = headers[i];
            FinalizedBlock storage b = _finalized[h.number];
            b.hash = hashes[i];
            b.stateRoot = h.stateRoot;
            // Most blocks have no withdrawals: skipping the zero write saves a cold SSTORE.
            if (h.withdrawalsRoot != bytes32(0)) b.withdrawalsRoot = h.withdrawalsRoot;
            emit BlockFinalized(h.number, hashes[i], h.stateRoot, h.withdrawalsRoot);
        }
    }
}
