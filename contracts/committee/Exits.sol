// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Membership} from "./Membership.sol";

/// @title Exits
/// @notice How members leave and get their bonds back, and how operators keep their endpoint
/// current. A seated member leaves at the next epoch boundary, whether it announced its exit or
/// governance removed it (an offline member, say); it keeps signing until then. Its bond unlocks
/// `unbondingDelay` seconds after that boundary: evidence about its last epoch can still slash it
/// meanwhile (Slashing), and a slashed bond is gone for good. An applicant never admitted takes
/// its bond back at any time. Every exit frees its seat for the next admission.
abstract contract Exits is Membership {
    /// @notice The member leaves at the next epoch boundary (`byGovernance`: it was removed).
    event MemberExitAnnounced(uint256 indexed memberId, bool byGovernance);
    /// @notice An exited member's bond was paid back to its operator.
    event BondWithdrawn(uint256 indexed memberId, address indexed owner, uint256 amount);
    /// @notice An applicant withdrew before being admitted and got its bond back.
    event ApplicationWithdrawn(uint256 indexed memberId, address indexed owner, uint256 amount);
    /// @notice The member's p2p endpoint changed.
    event EndpointUpdated(uint256 indexed memberId, string endpoint);

    error CommitteeWouldBeEmpty(uint256 memberId);
    error BondStillLocked(uint256 memberId, uint256 withdrawableAt);
    error BondTransferFailed(address owner, uint256 amount);

    /// @notice Announces the caller's member's exit: it leaves the committee at the next epoch
    /// boundary. An admitted member not yet seated leaves at once (it never signed).
    /// @param memberId The member; the caller must be its operator.
    function announceExit(uint256 memberId) external {
        Member storage m = _owned(memberId);
        _leave(memberId, m);
        emit MemberExitAnnounced(memberId, false);
    }

    /// @notice Removes a member (governance only), for example one that stopped voting. It leaves
    /// at the next boundary like an exit and gets its bond back after the same delay.
    /// @param memberId An admitted or seated member.
    function remove(uint256 memberId) external onlyGovernance {
        Member storage m = _member(memberId);
        _leave(memberId, m);
        emit MemberExitAnnounced(memberId, true);
    }

    /// @notice Pays an exited member's bond back to its operator, once its unbonding delay has
    /// passed. A slashed member's bond was taken: there is nothing to withdraw.
    /// @param memberId The member; the caller must be its operator.
    function withdrawBond(uint256 memberId) external {
        Member storage m = _owned(memberId);
        if (m.status == Status.Ejected) revert MemberAlreadySlashed(memberId);
        if (m.status != Status.Exited) revert WrongStatus(memberId, m.status);
        if (block.timestamp < m.withdrawableAt) revert BondStillLocked(memberId, m.withdrawableAt);
        uint256 amount = _takeBond(m);
        emit BondWithdrawn(memberId, msg.sender, amount);
        _pay(msg.sender, amount);
    }

    /// @notice Withdraws an application governance has not acted on, with its bond. The key
    /// stays registered (a new application needs a new key).
    /// @param memberId The applicant; the caller must be its operator.
    function withdrawApplication(uint256 memberId) external {
        Member storage m = _owned(memberId);
        if (m.status != Status.Applied) revert WrongStatus(memberId, m.status);
        uint256 amount = _takeBond(m);
        emit ApplicationWithdrawn(memberId, msg.sender, amount);
        _pay(msg.sender, amount);
    }

    /// @notice Sets the member's p2p endpoint, read by nodes through `epochRecords`.
    /// @param memberId The member (applicant, admitted, seated or leaving); the caller must be its operator.
    /// @param endpoint A ws:// or wss:// URL.
    function updateEndpoint(uint256 memberId, string calldata endpoint) external {
        Member storage m = _owned(memberId);
        Status status = m.status;
        if (status != Status.Applied && status != Status.Pending && status != Status.Active && status != Status.Exiting) {
            revert WrongStatus(memberId, status);
        }
        _checkEndpoint(endpoint);
        _endpoints[memberId] = endpoint;
        emit EndpointUpdated(memberId, endpoint);
    }

    /// @dev Marks a seated member Exiting (it leaves at the next boundary) or an admitted one
    /// Exited at once; frees its seat. Refuses to leave the next epoch empty.
    function _leave(uint256 memberId, Member storage m) private {
        Status status = m.status;
        if (status == Status.Ejected) revert MemberAlreadySlashed(memberId);
        if (status != Status.Active && status != Status.Pending) revert WrongStatus(memberId, status);
        if (_seats == 1) revert CommitteeWouldBeEmpty(memberId);
        --_seats;
        _changed = true;
        if (status == Status.Active) {
            m.status = Status.Exiting;
        } else {
            m.status = Status.Exited;
            m.withdrawableAt = uint64(block.timestamp);
        }
    }

    function _owned(uint256 memberId) private view returns (Member storage m) {
        m = _member(memberId);
        if (m.owner != msg.sender) revert NotOwner(memberId, msg.sender);
    }

    function _takeBond(Member storage m) private returns (uint256 amount) {
        amount = m.bond;
        m.bond = 0;
        m.status = Status.Withdrawn;
    }

    /// @dev Pays after every state change (checks-effects-interactions): a re-entering owner
    /// finds the member Withdrawn with no bond.
    function _pay(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert BondTransferFailed(to, amount);
    }
}
