// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Inbox} from "./Inbox.sol";
import {EscapeHatch} from "./escape/EscapeHatch.sol";
import {IFinalizedBlocks} from "./interfaces/IFinalizedBlocks.sol";
import {WithdrawalProof} from "./protocol/WithdrawalProof.sol";

/// @title Bridge
/// @notice Holds the ETH deposited to the L2 and pays withdrawals proven against finalized
/// blocks. Deposits and forced transactions go through the Inbox this contract extends, so the
/// ETH and the entry that mints it on L2 are recorded in the same call. In exit mode (started by
/// the Rollup, which also closes the Inbox) each account withdraws its L2 balance (EscapeHatch).
/// @dev Deployed by the Rollup's constructor (which breaks the Rollup <-> Bridge address cycle).
contract Bridge is Inbox, EscapeHatch {
    IFinalizedBlocks private immutable _rollup;
    /// @dev Claimed withdrawals by leaf; (blockNumber, index) make each leaf unique.
    mapping(bytes32 leaf => bool) private _claimed;
    /// @dev Deposits paid back in exit mode, by Inbox index.
    mapping(uint256 index => bool) private _refunded;

    event DepositRefunded(uint256 indexed index, address indexed sender, uint256 amount);
    event WithdrawalClaimed(
        uint256 indexed blockNumber, uint256 indexed index, address indexed recipient, uint256 amount
    );

    error ZeroDeposit();
    error ZeroRecipient();
    error BlockNotFinalized(uint256 blockNumber);
    error WithdrawalAlreadyClaimed(uint256 blockNumber, uint256 index);
    error InvalidWithdrawalProof(uint256 blockNumber, uint256 index, bytes32 withdrawalsRoot);
    error TransferFailed(address recipient, uint256 amount);
    error DepositConsumed(uint256 index, uint256 inboxCursor);
    error NotADeposit(uint256 index);
    error DepositAlreadyRefunded(uint256 index);

    constructor(IFinalizedBlocks rollup_, uint256 inclusionDeadline_) Inbox(inclusionDeadline_) {
        _rollup = rollup_;
    }

    /// @notice Deposits msg.value to `l2Recipient` on L2; the L2 mints it when it consumes the entry.
    /// @param l2Recipient The L2 account credited.
    /// @return index The Inbox entry's position.
    function deposit(address l2Recipient) external payable returns (uint256 index) {
        if (msg.value == 0) revert ZeroDeposit();
        if (l2Recipient == address(0)) revert ZeroRecipient();
        return _append(INBOX_DEPOSIT, msg.sender, l2Recipient, msg.value, msg.data[0:0]);
    }

    /// @notice Pays a withdrawal recorded in finalized block `blockNumber` (anyone may submit it;
    /// the ETH always goes to `recipient`).
    /// @param blockNumber The finalized L2 block whose withdrawalsRoot holds the leaf.
    /// @param index The withdrawal's position among the block's withdrawals.
    /// @param recipient The L1 account paid (the L2 sender).
    /// @param amount Wei paid.
    /// @param proof Sibling hashes from the leaf to the root (src/protocol/withdrawals.ts).
    function claimWithdrawal(
        uint256 blockNumber,
        uint256 index,
        address recipient,
        uint256 amount,
        bytes32[] calldata proof
    ) external {
        (bytes32 blockHash,, bytes32 root) = _rollup.finalizedBlock(blockNumber);
        if (blockHash == bytes32(0)) revert BlockNotFinalized(blockNumber);
        bytes32 leaf = WithdrawalProof.leaf(blockNumber, index, recipient, amount);
        if (_claimed[leaf]) revert WithdrawalAlreadyClaimed(blockNumber, index);
        if (root == bytes32(0) || WithdrawalProof.rootFromProof(leaf, proof) != root) {
            revert InvalidWithdrawalProof(blockNumber, index, root);
        }
        _claimed[leaf] = true;
        emit WithdrawalClaimed(blockNumber, index, recipient, amount);
        _pay(recipient, amount);
    }

    /// @notice Starts exit mode (only the Rollup, from `Rollup.enterExitMode`): the Inbox closes
    /// and balances in the state of finalized block `blockNumber` become claimable.
    /// @param blockNumber The Rollup's finalized head.
    /// @param stateRoot Its state root.
    /// @param inboxCursor The Inbox entries it consumed.
    function openExit(uint256 blockNumber, bytes32 stateRoot, uint256 inboxCursor) external {
        if (msg.sender != address(_rollup)) revert CallerNotRollup(msg.sender);
        _openExit(blockNumber, stateRoot, inboxCursor);
    }

    /// @notice Whether the withdrawal has been paid.
    function isClaimed(uint256 blockNumber, uint256 index, address recipient, uint256 amount)
        external
        view
        returns (bool)
    {
        return _claimed[WithdrawalProof.leaf(blockNumber, index, recipient, amount)];
    }

    /// @notice In exit mode, pays a deposit the finalized L2 state never minted back to the L1
    /// account that made it (anyone may submit it; the ETH always goes to `sender`), once. A
    /// deposit the finalized chain consumed is in an L2 balance instead (`claimBalance`).
    /// @param index The deposit's Inbox index, at or after the exit block's Inbox cursor.
    /// @param sender The L1 account that deposited (InboxEntryAppended's sender).
    /// @param recipient The L2 account it was for.
    /// @param value Wei deposited.
    /// @param l1Block The L1 block of the deposit.
    function refundDeposit(uint256 index, address sender, address recipient, uint256 value, uint256 l1Block) external {
        (bool active,,, uint256 inboxCursor) = exitState();
        if (!active) revert ExitModeNotActive();
        if (index < inboxCursor) revert DepositConsumed(index, inboxCursor);
        if (!_isEntry(index, INBOX_DEPOSIT, sender, recipient, value, keccak256(""), l1Block)) revert NotADeposit(index);
        if (_refunded[index]) revert DepositAlreadyRefunded(index);
        _refunded[index] = true;
        emit DepositRefunded(index, sender, value);
        _pay(sender, value);
    }

    /// @notice Whether deposit `index` was paid back in exit mode.
    function isRefunded(uint256 index) external view returns (bool) {
        return _refunded[index];
    }

    function _pay(address recipient, uint256 amount) internal override {
        (bool ok,) = recipient.call{value: amount}("");
        if (!ok) revert TransferFailed(recipient, amount);
    }

    /// @notice The Rollup whose finalized blocks this Bridge pays against.
    function rollup() external view returns (address) {
        return address(_rollup);
    }
}
