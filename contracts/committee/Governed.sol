// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Governed
/// @notice The governance address of the committee: the only account that seats the genesis
/// members, admits applicants and removes members (a timelock or a multisig in production, a dev
/// account on the devnet). It is handed over in two steps, as OpenZeppelin's Ownable2Step: the
/// current governance proposes a successor, and only that successor's own `acceptGovernance`
/// completes the transfer, so a mistyped address can never take the role out of reach.
abstract contract Governed {
    address private _governance;
    address private _pendingGovernance;

    /// @notice `proposed` may now accept the role (zero: a pending proposal was withdrawn).
    event GovernanceProposed(address indexed governance, address indexed proposed);
    /// @notice The role moved from `previous` to `governance`.
    event GovernanceTransferred(address indexed previous, address indexed governance);

    error NotGovernance(address caller);
    error NotPendingGovernance(address caller, address pending);
    error ZeroGovernance();

    modifier onlyGovernance() {
        if (msg.sender != _governance) revert NotGovernance(msg.sender);
        _;
    }

    constructor(address governance_) {
        if (governance_ == address(0)) revert ZeroGovernance();
        _governance = governance_;
        emit GovernanceTransferred(address(0), governance_);
    }

    /// @notice Proposes `proposed` as the next governance; it takes over when it accepts. A new
    /// proposal replaces the pending one; proposing zero withdraws it.
    /// @param proposed The successor (a timelock, a multisig).
    function proposeGovernance(address proposed) external onlyGovernance {
        _pendingGovernance = proposed;
        emit GovernanceProposed(_governance, proposed);
    }

    /// @notice Completes a transfer: the proposed successor takes the role.
    function acceptGovernance() external {
        address pending = _pendingGovernance;
        if (msg.sender != pending || pending == address(0)) revert NotPendingGovernance(msg.sender, pending);
        address previous = _governance;
        _governance = pending;
        delete _pendingGovernance;
        emit GovernanceTransferred(previous, pending);
    }

    /// @notice The account that admits and removes members.
    function governance() external view returns (address) {
        return _governance;
    }

    /// @notice The proposed successor, zero if none.
    function pendingGovernance() external view returns (address) {
        return _pendingGovernance;
    }
}
