// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "../bls/BLS.sol";
import {KeyTable} from "./KeyTable.sol";
import {Membership} from "./Membership.sol";
import {ICommitteeOfRollup} from "../interfaces/ICommitteeOfRollup.sol";

/// @title Epochs
/// @notice The committee's epochs. An epoch starts only at a settled boundary (the Rollup calls
/// `advanceEpoch` after it settles) and only if membership changed; its member order, keys and
/// aggregate key are frozen when it starts, and a QC's signer bitmap is read over that order.
/// The members of a new epoch are the previous one's minus those leaving (exited, removed,
/// slashed), in order, then the members governance admitted since: no other path seats a key.
abstract contract Epochs is Membership {
    /// @notice Binds the committee to its Rollup and starts epoch 1 with the genesis members.
    /// @param rollup_ The Rollup whose QCs this committee signs (its `committee()` must be this).
    function sealGenesis(address rollup_) external onlyGovernance {
        if (_rollup != address(0)) revert GenesisAlreadySealed();
        if (_active.length == 0) revert EmptyCommittee();
        address committeeOfRollup = ICommitteeOfRollup(rollup_).committee();
        if (committeeOfRollup != address(this)) revert RollupMismatch(rollup_, committeeOfRollup);
        _rollup = rollup_;
        _startEpoch();
    }

    /// @notice Starts the next epoch if membership changed since the current one began.
    /// Called by the Rollup after it settles, so an epoch boundary is always a settled block.
    /// @return epoch The current epoch after the call.
    function advanceEpoch() external returns (uint256 epoch) {
        if (msg.sender != _rollup) revert NotRollup(msg.sender);
        // If every member were ejected there would be no one to start an epoch with: keep the
        // current one rather than make settlement revert forever.
        if (_changed && _rebuildActive()) {
            _changed = false;
            _startEpoch();
        }
        return _currentEpoch;
    }

    /// @notice The epoch whose keys verify QCs now (0 before genesis is sealed).
    function currentEpoch() external view returns (uint256) {
        return _currentEpoch;
    }

    /// @notice Member ids of `epoch` in committee order: bit i of a signer bitmap is entry i.
    function epochMembers(uint256 epoch) external view returns (uint32[] memory) {
        return _epochMembers[epoch];
    }

    /// @notice The sum of the keys of `epoch`'s members (EIP-2537 G1).
    function aggregateKey(uint256 epoch) external view returns (bytes memory key) {
        Epoch storage e = _epochs[epoch];
        if (e.page0 == address(0)) revert UnknownEpoch(epoch, _currentEpoch);
        key = new bytes(128);
        uint256 dest;
        // Safe: takes the address of the freshly allocated 128-byte array's body.
        assembly ("memory-safe") {
            dest := add(key, 0x20)
        }
        KeyTable.copyAggregate(e.page0, dest);
    }

    /// @notice The members of `epoch` in committee order, with the keys, fee recipients and
    /// current endpoints a node needs to follow it: one call per epoch.
    function epochRecords(uint256 epoch) external view returns (MemberRecord[] memory records) {
        if (_epochs[epoch].page0 == address(0)) revert UnknownEpoch(epoch, _currentEpoch);
        uint32[] storage ids = _epochMembers[epoch];
        records = new MemberRecord[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            uint32 id = ids[i];
            records[i] = MemberRecord(id, _members[id].feeRecipient, _publicKeys[id], _endpoints[id]);
        }
    }

    /// @dev Drops leaving members (keeping the others' order) and appends admitted ones; returns
    /// false (changing nothing) if no one would be left. A member that announced its exit or was
    /// removed leaves here, and its unbonding delay starts now: it signed until this boundary.
    function _rebuildActive() private returns (bool) {
        uint32[] memory previous = _active;
        uint256 remaining;
        for (uint256 i = 0; i < previous.length; ++i) {
            if (_members[previous[i]].status == Status.Active) ++remaining;
        }
        for (uint256 i = 0; i < _pending.length; ++i) {
            if (_members[_pending[i]].status == Status.Pending) ++remaining;
        }
        if (remaining == 0) return false;
        delete _active;
        uint64 unlocksAt = uint64(block.timestamp + _unbondingDelay);
        for (uint256 i = 0; i < previous.length; ++i) {
            uint32 id = previous[i];
            Member storage m = _members[id];
            if (m.status == Status.Active) {
                _active.push(id);
            } else if (m.status == Status.Exiting) {
                m.status = Status.Exited;
                m.withdrawableAt = unlocksAt;
                emit MemberLeft(id, unlocksAt);
            }
        }
        for (uint256 i = 0; i < _pending.length; ++i) {
            uint32 id = _pending[i];
            if (_members[id].status == Status.Pending) {
                _members[id].status = Status.Active;
                _active.push(id);
            }
        }
        delete _pending;
        return true;
    }

    /// @dev Freezes the active set as a new epoch: key pages and aggregate key.
    function _startEpoch() private {
        uint32[] memory ids = _active;
        uint256 n = ids.length;
        if (n == 0) revert EmptyCommittee();
        bytes[] memory keys = new bytes[](n);
        for (uint256 i = 0; i < n; ++i) keys[i] = _publicKeys[ids[i]];
        bytes memory aggregate = BLS.aggregateG1(keys);
        uint256 epoch = _currentEpoch + 1;
        Epoch storage e = _epochs[epoch];
        e.size = uint16(n);
        e.page0 = KeyTable.writePage(aggregate, keys, 0);
        if (n > KeyTable.KEYS_PER_PAGE) e.page1 = KeyTable.writePage(aggregate, keys, KeyTable.KEYS_PER_PAGE);
        _epochMembers[epoch] = ids;
        _currentEpoch = epoch;
        emit EpochStarted(epoch, ids);
    }
}
