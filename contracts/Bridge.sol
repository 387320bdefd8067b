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
/// the Rollup) the Inbox is closed and each account withdraws its L2 balance (EscapeHatch).
/// @dev Deployed by the Rollup's constructor (which breaks the Rollup <-> Bridge address cycle).
contract Bridge is Inbox, EscapeHatch {
    IFinalizedBlocks private immutable _rollup;
    /// @dev Claimed withdrawals by leaf; (blockNumber, index) make each leaf unique.
    mapping(bytes32 leaf => bool) private _claimed;

    event WithdrawalClaimed(
        uint256 indexed blockNumber, uint256 indexed index, address indexed recipient, uint256 amount
    );

    error ZeroDeposit();
    error ZeroRecipient();
    error BlockNotFinalized(uint256 blockNumber);
    error WithdrawalAlreadyClaimed(uint256 blockNumber, uint256 index);
    error InvalidWithdrawalProof(uint256 blockNumber, uint256 index, bytes32 withdrawalsRoot);
    error TransferFailed(address recipient, uint256 amount);
    error OnlyRollup(address caller);

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
        if (msg.sender != address(_rollup)) revert OnlyRollup(msg.sender);
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

    /// @dev A deposit or forced transaction in exit mode could never reach L2: refuse it.
    function _checkInboxOpen() internal view override {
        if (_exitActive()) revert ExitModeActive();
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
