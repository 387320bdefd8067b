// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccountProof} from "./AccountProof.sol";

/// @title EscapeHatch
/// @notice The Bridge's exit mode (DESIGN §6, issue 10): once the Rollup is in exit mode
/// (ExitWindow.sol says when anyone may put it there), every L2 account withdraws its balance in
/// the last finalized state, proven with an eth_getProof `accountProof`, once.
///
/// Who is paid: the account itself, at its own address on L1, whoever submits the claim (as
/// `claimWithdrawal` pays the recipient whoever submits it). L2 accounts are externally owned
/// (src/execution/state.ts: no code, no storage), and an Ethereum key controls the same address
/// on every chain, so the key that owned the balance on L2 owns the ETH on L1. Requiring
/// msg.sender == account would add nothing to that, and would strand exactly the users the hatch
/// is for: an account funded only on L2 (the devnet's L2 accounts hold no L1 ETH) could not pay
/// the claim's gas. Anyone (a friend, a relayer, the escape script's L1 key) may pay it instead;
/// the ETH can only ever go to the account.
///
/// Which state: the Rollup's finalized head when exit mode began. Settlement is refused from then
/// on, so that root never changes; blocks the committee committed but never settled do not count
/// (L1 never saw their QCs), so a proof against any other root is refused.
abstract contract EscapeHatch {
    /// @dev One slot: read by every claim and refund.
    struct Exit {
        bool active;
        uint64 blockNumber;
        uint64 inboxCursor;
    }

    Exit private _exit;
    bytes32 private _exitStateRoot;
    mapping(address account => bool) private _escaped;

    event BalanceEscaped(address indexed account, uint256 indexed blockNumber, uint256 amount);

    /// @notice The rollup is not in exit mode: balances are withdrawn through L2 withdrawals.
    error ExitModeNotActive();
    /// @notice The proof names another block than the finalized head exit mode froze.
    error NotExitBlock(uint256 blockNumber, uint256 exitBlock);
    /// @notice `account` already withdrew its balance.
    error BalanceAlreadyEscaped(address account);
    /// @notice `account` has no balance in the exit state (absent, or zero).
    error NothingToEscape(address account, uint256 blockNumber);

    /// @notice Pays `account`, at its own L1 address, its L2 balance in the exit block's state,
    /// once. Anyone may submit it.
    /// @param account The L2 account (and the L1 address paid).
    /// @param blockNumber The exit block (the finalized head when exit mode began; `exitState`).
    /// @param accountProof eth_getProof's `accountProof` for `account` at that block.
    function claimBalance(address account, uint256 blockNumber, bytes[] calldata accountProof) external {
        Exit memory exit = _exit;
        if (!exit.active) revert ExitModeNotActive();
        if (blockNumber != exit.blockNumber) revert NotExitBlock(blockNumber, exit.blockNumber);
        if (_escaped[account]) revert BalanceAlreadyEscaped(account);
        uint256 balance = AccountProof.verify(_exitStateRoot, account, accountProof).balance;
        if (balance == 0) revert NothingToEscape(account, blockNumber);
        _escaped[account] = true;
        emit BalanceEscaped(account, blockNumber, balance);
        _pay(account, balance);
    }

    /// @notice Whether exit mode is on, and the block, state root and Inbox cursor it froze.
    function exitState()
        public
        view
        returns (bool active, uint256 blockNumber, bytes32 stateRoot, uint256 inboxCursor)
    {
        Exit memory exit = _exit;
        return (exit.active, exit.blockNumber, _exitStateRoot, exit.inboxCursor);
    }

    /// @notice Whether `account` has withdrawn its balance in exit mode.
    function hasEscaped(address account) external view returns (bool) {
        return _escaped[account];
    }

    /// @dev Starts exit mode on the finalized head `blockNumber` (once: the Rollup calls it once).
    function _openExit(uint256 blockNumber, bytes32 stateRoot, uint256 inboxCursor) internal {
        // Safe casts: a block number and an Inbox cursor the Rollup stores in 64 bits already.
        _exit = Exit(true, uint64(blockNumber), uint64(inboxCursor));
        _exitStateRoot = stateRoot;
    }

    /// @dev Sends `amount` wei to `recipient`, reverting if it cannot be paid.
    function _pay(address recipient, uint256 amount) internal virtual;
}
