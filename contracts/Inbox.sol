// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Inbox
/// @notice What L1 hands the L2, in order: deposits and forced transactions. Mirrors
/// src/protocol/inbox.ts. The accumulated hash
///   acc_0 = 0,  acc_k = keccak256(abi.encode(acc_{k-1}, entryHash(entry_{k-1})))
/// commits to the first k entries, so the Rollup checks a header's (inboxCursor, inboxHash)
/// against `acc_cursor` without replaying anything.
///
/// Inclusion rule (DESIGN §5, enforced by the Rollup at settlement): entry i is *due* at L1 block
/// `l1Block_i + inclusionDeadline`. From that block on, a batch settles only if its last header
/// has consumed it (`inboxCursor > i`): an entry posted in block b is in the settled chain by
/// b + inclusionDeadline, or nothing settles. Entries are in L1 order, so checking the first
/// entry a header leaves unconsumed (index `inboxCursor`) is enough. Each header must also have
/// consumed what is due at its own l1Origin (the L2's execution rule, mirrored).
///
/// Once the Rollup stops settling for good (a proven safety violation), it closes the Inbox: an
/// entry appended after that could never be consumed by a settled block, and a deposit's ETH
/// would be locked with it.
abstract contract Inbox {
    uint8 public constant INBOX_DEPOSIT = 0;
    uint8 public constant INBOX_FORCED_TX = 1;
    /// @notice Largest forced transaction accepted, in bytes (bounds the L2's work per entry).
    uint256 public constant MAX_FORCED_TX_SIZE = 32 * 1024;

    uint256 private immutable _inclusionDeadline;
    /// @dev The Rollup, which creates its Bridge in its constructor (Rollup.sol): the deployer.
    address private immutable _rollupAddress;
    /// @dev Entries so far, and whether new ones are refused: one slot, read by every append.
    /// 64 bits count more entries than L1 blocks will ever hold.
    uint64 private _count;
    bool private _closed;
    /// @dev _accumulated[k] = acc_k; _accumulated[0] is 0 by default.
    mapping(uint256 count => bytes32) private _accumulated;
    mapping(uint256 index => uint256) private _l1Block;

    event InboxEntryAppended(
        uint256 indexed index,
        uint8 indexed kind,
        address indexed sender,
        address recipient,
        uint256 value,
        bytes data,
        uint256 l1Block,
        bytes32 accumulatedHash
    );

    event InboxClosedForGood();

    error InboxClosed();
    error CallerNotRollup(address caller);
    error EmptyForcedTransaction();
    error ForcedTransactionTooLarge(uint256 size, uint256 maxSize);
    error InboxCursorOutOfRange(uint256 cursor, uint256 count);

    constructor(uint256 inclusionDeadline_) {
        _inclusionDeadline = inclusionDeadline_;
        _rollupAddress = msg.sender;
    }

    /// @notice Refuses every later deposit and forced transaction. Only the Rollup calls it, when
    /// settlement stops for good: what is appended after that could never be settled.
    function closeInbox() external {
        if (msg.sender != _rollupAddress) revert CallerNotRollup(msg.sender);
        if (_closed) return;
        _closed = true;
        emit InboxClosedForGood();
    }

    /// @notice Whether the Inbox refuses new entries (settlement stopped for good).
    function inboxClosed() external view returns (bool) {
        return _closed;
    }

    /// @notice Posts a signed L2 transaction that the committee must include within the deadline.
    /// @param signedL2Tx The raw signed transaction, as sent to eth_sendRawTransaction.
    /// @return index The entry's position in the Inbox.
    function forceInclude(bytes calldata signedL2Tx) external returns (uint256 index) {
        if (signedL2Tx.length == 0) revert EmptyForcedTransaction();
        if (signedL2Tx.length > MAX_FORCED_TX_SIZE) {
            revert ForcedTransactionTooLarge(signedL2Tx.length, MAX_FORCED_TX_SIZE);
        }
        return _append(INBOX_FORCED_TX, msg.sender, address(0), 0, signedL2Tx);
    }

    /// @notice Number of entries appended so far.
    function inboxCount() external view returns (uint256) {
        return _count;
    }

    /// @notice The accumulated hash after the first `count` entries (acc_count).
    function accumulatedHash(uint256 count) external view returns (bytes32) {
        if (count > _count) revert InboxCursorOutOfRange(count, _count);
        return _accumulated[count];
    }

    /// @notice The L1 block that included entry `index`.
    function entryL1Block(uint256 index) external view returns (uint256) {
        if (index >= _count) revert InboxCursorOutOfRange(index, _count);
        return _l1Block[index];
    }

    /// @notice L1 blocks an entry may wait before a settled header must have consumed it.
    function inclusionDeadline() external view returns (uint256) {
        return _inclusionDeadline;
    }

    /// @notice What the Rollup checks a header against: acc_cursor and the L1 block from which
    /// the first unconsumed entry (index `cursor`) is due (type(uint256).max when there is none).
    function inboxCheckpoint(uint256 cursor) external view returns (bytes32 accumulated, uint256 nextDueAt) {
        uint256 count = _count;
        if (cursor > count) revert InboxCursorOutOfRange(cursor, count);
        accumulated = _accumulated[cursor];
        nextDueAt = cursor == count ? type(uint256).max : _l1Block[cursor] + _inclusionDeadline;
    }

    /// @dev Whether entry `index` is the one with these fields: its accumulated hash extends the
    /// previous one with their hash (the Bridge's exit-mode refunds check a deposit this way).
    function _isEntry(uint256 index, uint8 kind, address sender, address recipient, uint256 value, bytes32 dataHash, uint256 l1Block)
        internal
        view
        returns (bool)
    {
        if (index >= _count) return false;
        bytes32 entryHash = _entryHash(index, kind, sender, recipient, value, dataHash, l1Block);
        return keccak256(abi.encode(_accumulated[index], entryHash)) == _accumulated[index + 1];
    }

    function _entryHash(uint256 index, uint8 kind, address sender, address recipient, uint256 value, bytes32 dataHash, uint256 l1Block)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(index, kind, sender, recipient, value, dataHash, l1Block));
    }

    function _append(uint8 kind, address sender, address recipient, uint256 value, bytes calldata data)
        internal
        returns (uint256 index)
    {
        if (_closed) revert InboxClosed();
        index = _count;
        bytes32 entryHash = _entryHash(index, kind, sender, recipient, value, keccak256(data), block.number);
        bytes32 accumulated = keccak256(abi.encode(_accumulated[index], entryHash));
        _accumulated[index + 1] = accumulated;
        _l1Block[index] = block.number;
        // Safe cast: one entry per call, so the count stays far below 2^64.
        _count = uint64(index + 1);
        emit InboxEntryAppended(index, kind, sender, recipient, value, data, block.number, accumulated);
    }
}
