// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "../bls/BLS.sol";
import {Digests} from "../protocol/Digests.sol";
import {KeyTable} from "./KeyTable.sol";
import {ICommitteeOfRollup} from "../interfaces/ICommitteeOfRollup.sol";

/// @title Membership
/// @notice Committee members and epochs. A member registers a BLS key (EIP-2537 G1) with a proof
/// of possession checked here (the rogue-key defence that makes same-message aggregation safe),
/// a bond and a fee recipient. Changes (registrations, ejections) take effect at the next epoch,
/// which the Rollup starts when it settles: an epoch's member order, keys and aggregate key are
/// frozen when it starts, and a QC's signer bitmap is read over that order.
abstract contract Membership {
    uint256 public constant MAX_MEMBERS = 256;

    enum Status {
        None,
        Pending, // registered; joins at the next epoch
        Active, // in the committee
        Ejected // slashed; leaves at the next epoch, bond gone
    }

    struct Member {
        address owner;
        Status status;
        /// @dev Low 88 bits of the id of the evidence that slashed the member (shares the slot
        /// with owner and status, so recording it costs no extra storage write).
        uint88 slashingEvidence;
        address feeRecipient;
        uint96 bond;
    }

    /// @dev Where an epoch's keys live (see KeyTable); page1 is used above 128 members.
    struct Epoch {
        address page0;
        uint16 size;
        address page1;
    }

    uint256 internal immutable _l2ChainId;
    uint256 private immutable _minimumBond;
    address private immutable _genesisOperator;
    address internal _rollup;

    Member[] private _members;
    mapping(uint256 memberId => bytes) private _publicKeys;
    mapping(bytes32 keyHash => uint256 memberIdPlusOne) private _memberByKey;

    /// @dev Member ids in committee order; ejected members stay until the next epoch starts.
    uint32[] private _active;
    uint32[] private _pending;
    bool private _changed;

    uint256 internal _currentEpoch;
    mapping(uint256 epoch => Epoch) internal _epochs;
    mapping(uint256 epoch => uint32[]) internal _epochMembers;

    event MemberRegistered(uint256 indexed memberId, address indexed owner, address feeRecipient, bytes publicKey, uint256 bond);
    event MemberEjected(uint256 indexed memberId);
    event EpochStarted(uint256 indexed epoch, uint32[] members);

    error NotGenesisOperator(address caller);
    error NotRollup(address caller);
    error GenesisAlreadySealed();
    error EmptyCommittee();
    error RollupMismatch(address rollup, address committeeOfRollup);
    error LengthMismatch(uint256 keys, uint256 proofs, uint256 feeRecipients);
    error WrongGenesisBonds(uint256 sent, uint256 expected);
    error BondTooSmall(uint256 bond, uint256 minimumBond);
    error BondTooLarge(uint256 bond);
    error ZeroFeeRecipient();
    error KeyAlreadyRegistered(uint256 memberId);
    error InvalidProofOfPossession(bytes publicKey);
    error CommitteeFull(uint256 maxMembers);
    error UnknownMember(uint256 memberId);
    error UnknownEpoch(uint256 epoch, uint256 currentEpoch);
    error SignerNotInCommittee(uint256 epoch, uint256 index, uint256 size);

    constructor(uint256 l2ChainId_, uint256 minimumBond_) {
        if (minimumBond_ > type(uint96).max) revert BondTooLarge(minimumBond_);
        _l2ChainId = l2ChainId_;
        _minimumBond = minimumBond_;
        _genesisOperator = msg.sender;
    }

    /// @notice Adds genesis members (the deployer only, before sealing; may take several calls).
    /// Each is bonded with exactly `minimumBond`, paid in msg.value.
    /// @param publicKeys EIP-2537 G1 keys (128 bytes each).
    /// @param proofs Proofs of possession over `Digests.possession(l2ChainId, this, key)`.
    /// @param feeRecipients Each member's fee recipient, also the owner of its bond.
    function addGenesisMembers(bytes[] calldata publicKeys, bytes[] calldata proofs, address[] calldata feeRecipients)
        external
        payable
    {
        if (msg.sender != _genesisOperator) revert NotGenesisOperator(msg.sender);
        if (_rollup != address(0)) revert GenesisAlreadySealed();
        uint256 n = publicKeys.length;
        if (proofs.length != n || feeRecipients.length != n) {
            revert LengthMismatch(n, proofs.length, feeRecipients.length);
        }
        if (msg.value != _minimumBond * n) revert WrongGenesisBonds(msg.value, _minimumBond * n);
        if (_active.length + _pending.length + n > MAX_MEMBERS) revert CommitteeFull(MAX_MEMBERS);
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = _register(publicKeys[i], proofs[i], feeRecipients[i], feeRecipients[i], _minimumBond);
            _active.push(uint32(id));
            _members[id].status = Status.Active;
        }
    }

    /// @notice Binds the committee to its Rollup and starts epoch 1 with the genesis members.
    /// @param rollup_ The Rollup whose QCs this committee signs (its `committee()` must be this).
    function sealGenesis(address rollup_) external {
        if (msg.sender != _genesisOperator) revert NotGenesisOperator(msg.sender);
        if (_rollup != address(0)) revert GenesisAlreadySealed();
        if (_active.length == 0) revert EmptyCommittee();
        address committeeOfRollup = ICommitteeOfRollup(rollup_).committee();
        if (committeeOfRollup != address(this)) revert RollupMismatch(rollup_, committeeOfRollup);
        _rollup = rollup_;
        _startEpoch();
    }

    /// @notice Registers a new member; it joins the committee at the next epoch.
    /// @param publicKey EIP-2537 G1 key (128 bytes).
    /// @param proof Proof of possession over `Digests.possession(l2ChainId, this, publicKey)`.
    /// @param feeRecipient Where the member's priority fees go on L2.
    /// @return memberId The member's permanent id.
    function register(bytes calldata publicKey, bytes calldata proof, address feeRecipient)
        external
        payable
        returns (uint256 memberId)
    {
        if (msg.value < _minimumBond) revert BondTooSmall(msg.value, _minimumBond);
        if (msg.value > type(uint96).max) revert BondTooLarge(msg.value);
        if (_active.length + _pending.length >= MAX_MEMBERS) revert CommitteeFull(MAX_MEMBERS);
        memberId = _register(publicKey, proof, feeRecipient, msg.sender, msg.value);
        _pending.push(uint32(memberId));
        _changed = true;
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

    /// @notice A member's record and key.
    function member(uint256 memberId)
        external
        view
        returns (address owner, address feeRecipient, uint256 bond, Status status, bytes memory publicKey)
    {
        if (memberId >= _members.length) revert UnknownMember(memberId);
        Member storage m = _members[memberId];
        return (m.owner, m.feeRecipient, m.bond, m.status, _publicKeys[memberId]);
    }

    /// @notice Number of members ever registered (ids are 0..memberCount-1).
    function memberCount() external view returns (uint256) {
        return _members.length;
    }

    /// @notice The bond a registration must carry.
    function minimumBond() external view returns (uint256) {
        return _minimumBond;
    }

    /// @notice The L2 chain id that every signed digest names.
    function l2ChainId() external view returns (uint256) {
        return _l2ChainId;
    }

    /// @notice The Rollup this committee signs for (zero before genesis is sealed).
    function rollup() external view returns (address) {
        return _rollup;
    }

    function _register(bytes calldata key, bytes calldata proof, address feeRecipient, address owner, uint256 bond)
        private
        returns (uint256 id)
    {
        if (feeRecipient == address(0)) revert ZeroFeeRecipient();
        bytes32 keyHash = keccak256(key);
        uint256 existing = _memberByKey[keyHash];
        if (existing != 0) revert KeyAlreadyRegistered(existing - 1);
        BLS.validateG1(key);
        if (!BLS.verifyPossession(key, Digests.possession(_l2ChainId, address(this), key), proof)) {
            revert InvalidProofOfPossession(key);
        }
        // Ids fit uint32 (how epochs store them): each registration costs a bond and ~0.4M gas.
        // The bond fits uint96: genesis bonds equal minimumBond and `register` checks msg.value.
        id = _members.length;
        _members.push(
            Member({owner: owner, status: Status.Pending, slashingEvidence: 0, feeRecipient: feeRecipient, bond: uint96(bond)})
        );
        _publicKeys[id] = key;
        _memberByKey[keyHash] = id + 1;
        emit MemberRegistered(id, owner, feeRecipient, key, bond);
    }

    /// @dev Takes a member's bond and marks it ejected; it leaves at the next epoch.
    function _eject(uint256 memberId, bytes32 evidence) internal returns (uint256 bond) {
        Member storage m = _members[memberId];
        bond = m.bond;
        m.bond = 0;
        m.status = Status.Ejected;
        m.slashingEvidence = uint88(uint256(evidence));
        _changed = true;
        emit MemberEjected(memberId);
    }

    function _memberStatus(uint256 memberId) internal view returns (Status status, uint88 slashingEvidence) {
        if (memberId >= _members.length) revert UnknownMember(memberId);
        Member storage m = _members[memberId];
        return (m.status, m.slashingEvidence);
    }

    /// @dev Drops ejected members (keeping the others' order) and appends pending ones; returns
    /// false (changing nothing) if no one would be left.
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
        for (uint256 i = 0; i < previous.length; ++i) {
            if (_members[previous[i]].status == Status.Active) _active.push(previous[i]);
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
