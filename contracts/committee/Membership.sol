// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "../bls/BLS.sol";
import {Digests} from "../protocol/Digests.sol";
import {Governed} from "./Governed.sol";

/// @title Membership
/// @notice Committee members and epochs. Who sits is governed (DESIGN §6): anyone may *apply*
/// with a bond, a p2p endpoint and a BLS key (EIP-2537 G1) whose proof of possession names the
/// applying operator, but only governance *admits* an applicant (or seats the genesis members).
/// Proof of possession is the rogue-key defence that makes same-message aggregation safe; binding
/// it to the operator makes a copied application useless. Changes (admissions, exits, removals,
/// ejections) take effect at the next epoch (Epochs). Leaving members and their bonds: see Exits.
abstract contract Membership is Governed {
    uint256 public constant MAX_MEMBERS = 256;
    /// @notice Longest p2p endpoint (a ws:// or wss:// URL), in bytes.
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;

    enum Status {
        None,
        Pending, // admitted; joins at the next epoch
        Active, // in the committee
        Ejected, // slashed; leaves at the next epoch, bond gone for good
        Applied, // applied with a bond; waits for governance
        Exiting, // announced its exit or was removed; signs until the next epoch starts
        Exited, // out of the committee; its bond unlocks at `withdrawableAt`
        Withdrawn // bond paid back (an exited member, or an applicant that withdrew)
    }

    struct Member {
        /// @dev The operator: applied (its address is in the proof of possession), owns the bond,
        /// may exit, update the endpoint and withdraw.
        address owner;
        Status status;
        /// @dev Low 88 bits of the id of the evidence that slashed the member (shares the slot
        /// with owner and status, so recording it costs no extra storage write).
        uint88 slashingEvidence;
        address feeRecipient;
        uint96 bond;
        /// @dev When an exited member's bond unlocks (unix seconds); zero until it leaves.
        uint64 withdrawableAt;
    }

    /// @dev Genesis member as governance seats it: the proof of possession names `operator`.
    struct GenesisMember {
        bytes publicKey;
        bytes proof;
        address operator;
        address feeRecipient;
        string endpoint;
    }

    /// @dev A seated member as nodes need it to follow an epoch (`epochRecords`).
    struct MemberRecord {
        uint32 memberId;
        address feeRecipient;
        bytes publicKey;
        string endpoint;
    }

    /// @dev Where an epoch's keys live (see KeyTable); page1 is used above 128 members.
    struct Epoch {
        address page0;
        uint16 size;
        address page1;
    }

    uint256 internal immutable _l2ChainId;
    uint256 private immutable _minimumBond;
    uint256 internal immutable _unbondingDelay;
    address internal _rollup;

    Member[] internal _members;
    mapping(uint256 memberId => bytes) internal _publicKeys;
    mapping(uint256 memberId => string) internal _endpoints;
    mapping(bytes32 keyHash => uint256 memberIdPlusOne) private _memberByKey;

    /// @dev Member ids in committee order; leaving members stay until the next epoch starts.
    uint32[] internal _active;
    uint32[] internal _pending;
    /// @dev Members the next epoch will hold (Active + Pending): what MAX_MEMBERS bounds, so a
    /// seat frees as soon as its member exits, is removed or is slashed.
    uint256 internal _seats;
    bool internal _changed;

    uint256 internal _currentEpoch;
    mapping(uint256 epoch => Epoch) internal _epochs;
    mapping(uint256 epoch => uint32[]) internal _epochMembers;

    event MemberApplied(
        uint256 indexed memberId, address indexed owner, address feeRecipient, bytes publicKey, uint256 bond, string endpoint
    );
    event MemberAdmitted(uint256 indexed memberId);
    event MemberEjected(uint256 indexed memberId);
    /// @notice The member left the committee at an epoch boundary; its bond unlocks at `withdrawableAt`.
    event MemberLeft(uint256 indexed memberId, uint256 withdrawableAt);
    event EpochStarted(uint256 indexed epoch, uint32[] members);

    error NotRollup(address caller);
    error NotOwner(uint256 memberId, address caller);
    error GenesisAlreadySealed();
    error GenesisNotSealed();
    error EmptyCommittee();
    error RollupMismatch(address rollup, address committeeOfRollup);
    error WrongGenesisBonds(uint256 sent, uint256 expected);
    error BondTooSmall(uint256 bond, uint256 minimumBond);
    error BondTooLarge(uint256 bond);
    error ZeroFeeRecipient();
    error ZeroOperator();
    error InvalidEndpoint(string endpoint);
    error InvalidUnbondingDelay(uint256 delay);
    error KeyAlreadyRegistered(uint256 memberId);
    error InvalidProofOfPossession(bytes publicKey);
    error CommitteeFull(uint256 maxMembers);
    error UnknownMember(uint256 memberId);
    error WrongStatus(uint256 memberId, Status status);
    error MemberAlreadySlashed(uint256 memberId);
    error UnknownEpoch(uint256 epoch, uint256 currentEpoch);
    error SignerNotInCommittee(uint256 epoch, uint256 index, uint256 size);

    /// @param l2ChainId_ The L2 chain id every signed digest names.
    /// @param minimumBond_ The smallest bond an application carries (genesis bonds are exactly this).
    /// @param unbondingDelay_ Seconds between a member leaving the committee and its bond
    /// unlocking: the time evidence about its last epoch has to land (1 second to 365 days).
    /// @param governance_ The account that seats, admits and removes members.
    constructor(uint256 l2ChainId_, uint256 minimumBond_, uint256 unbondingDelay_, address governance_)
        Governed(governance_)
    {
        if (minimumBond_ > type(uint96).max) revert BondTooLarge(minimumBond_);
        if (unbondingDelay_ == 0 || unbondingDelay_ > 365 days) revert InvalidUnbondingDelay(unbondingDelay_);
        _l2ChainId = l2ChainId_;
        _minimumBond = minimumBond_;
        _unbondingDelay = unbondingDelay_;
    }

    /// @notice Seats genesis members (governance only, before sealing; may take several calls).
    /// Each is bonded with exactly `minimumBond`, paid in msg.value; its operator owns the bond.
    /// @param members Keys, proofs of possession over `Digests.possession(l2ChainId, this,
    /// operator, key)`, operators, fee recipients and endpoints (empty allowed: the operator sets
    /// it later with `updateEndpoint`).
    function addGenesisMembers(GenesisMember[] calldata members) external payable onlyGovernance {
        if (_rollup != address(0)) revert GenesisAlreadySealed();
        uint256 n = members.length;
        if (msg.value != _minimumBond * n) revert WrongGenesisBonds(msg.value, _minimumBond * n);
        if (_seats + n > MAX_MEMBERS) revert CommitteeFull(MAX_MEMBERS);
        for (uint256 i = 0; i < n; ++i) {
            GenesisMember calldata m = members[i];
            if (m.operator == address(0)) revert ZeroOperator();
            if (bytes(m.endpoint).length != 0) _checkEndpoint(m.endpoint);
            uint256 id = _register(m.publicKey, m.proof, m.operator, m.feeRecipient, m.endpoint, _minimumBond);
            _members[id].status = Status.Active;
            _active.push(uint32(id));
            emit MemberAdmitted(id);
        }
        _seats += n;
    }

    /// @notice Applies for a seat. The caller becomes the operator: the proof of possession must
    /// name it, so a copy of this transaction sent by anyone else fails. Only governance's
    /// `admit` seats an applicant; until then `withdrawApplication` returns the bond.
    /// @param publicKey EIP-2537 G1 key (128 bytes).
    /// @param proof Proof of possession over `Digests.possession(l2ChainId, this, msg.sender, publicKey)`.
    /// @param feeRecipient Where the member's priority fees go on L2.
    /// @param endpoint The member's p2p listener, a ws:// or wss:// URL.
    /// @return memberId The applicant's permanent id.
    function applyForSeat(bytes calldata publicKey, bytes calldata proof, address feeRecipient, string calldata endpoint)
        external
        payable
        returns (uint256 memberId)
    {
        if (msg.value < _minimumBond) revert BondTooSmall(msg.value, _minimumBond);
        if (msg.value > type(uint96).max) revert BondTooLarge(msg.value);
        _checkEndpoint(endpoint);
        memberId = _register(publicKey, proof, msg.sender, feeRecipient, endpoint, msg.value);
    }

    /// @notice Admits an applicant (governance only): it joins the committee at the next epoch.
    /// @param memberId The applicant.
    function admit(uint256 memberId) external onlyGovernance {
        if (_rollup == address(0)) revert GenesisNotSealed();
        Member storage m = _member(memberId);
        if (m.status != Status.Applied) revert WrongStatus(memberId, m.status);
        if (_seats >= MAX_MEMBERS) revert CommitteeFull(MAX_MEMBERS);
        m.status = Status.Pending;
        _pending.push(uint32(memberId));
        ++_seats;
        _changed = true;
        emit MemberAdmitted(memberId);
    }

    /// @notice A member's record, key and endpoint.
    /// @return owner The operator (owns the bond).
    /// @return feeRecipient Where its L2 priority fees go.
    /// @return bond Its bond, wei (zero once slashed or withdrawn).
    /// @return status See `Status`.
    /// @return publicKey Its EIP-2537 G1 key.
    /// @return endpoint Its p2p endpoint (ws:// URL; empty for a genesis member that gave none).
    /// @return withdrawableAt When its bond unlocks, once it has left (unix seconds), else zero.
    function member(uint256 memberId)
        external
        view
        returns (
            address owner,
            address feeRecipient,
            uint256 bond,
            Status status,
            bytes memory publicKey,
            string memory endpoint,
            uint256 withdrawableAt
        )
    {
        Member storage m = _member(memberId);
        return (m.owner, m.feeRecipient, m.bond, m.status, _publicKeys[memberId], _endpoints[memberId], m.withdrawableAt);
    }

    /// @notice Number of members ever applied or seated (ids are 0..memberCount-1).
    function memberCount() external view returns (uint256) {
        return _members.length;
    }

    /// @notice The bond an application must carry at least.
    function minimumBond() external view returns (uint256) {
        return _minimumBond;
    }

    /// @notice Seconds between a member leaving the committee and its bond unlocking.
    function unbondingDelay() external view returns (uint256) {
        return _unbondingDelay;
    }

    /// @notice The L2 chain id that every signed digest names.
    function l2ChainId() external view returns (uint256) {
        return _l2ChainId;
    }

    /// @notice The Rollup this committee signs for (zero before genesis is sealed).
    function rollup() external view returns (address) {
        return _rollup;
    }

    /// @dev Records an applicant (status Applied). The key's curve and subgroup checks come from
    /// the pairing inside `verifyPossession` (it refuses points outside the subgroup), after the
    /// cheap length, range and infinity checks there: no separate G1MSM check is needed.
    function _register(
        bytes calldata key,
        bytes calldata proof,
        address owner,
        address feeRecipient,
        string calldata endpoint,
        uint256 bond
    ) private returns (uint256 id) {
        if (feeRecipient == address(0)) revert ZeroFeeRecipient();
        bytes32 keyHash = _checkPossession(key, proof, owner);
        // Ids fit uint32 (how epochs store them): each application costs a bond and ~0.3M gas.
        // The bond fits uint96: genesis bonds equal minimumBond and `applyForSeat` checks msg.value.
        id = _members.length;
        _members.push(
            Member({
                owner: owner,
                status: Status.Applied,
                slashingEvidence: 0,
                feeRecipient: feeRecipient,
                bond: uint96(bond),
                withdrawableAt: 0
            })
        );
        _publicKeys[id] = key;
        _endpoints[id] = endpoint;
        _memberByKey[keyHash] = id + 1;
        emit MemberApplied(id, owner, feeRecipient, key, bond, endpoint);
    }

    /// @dev A key not registered before, with a proof of possession naming `owner`; returns its hash.
    function _checkPossession(bytes calldata key, bytes calldata proof, address owner) private view returns (bytes32 keyHash) {
        keyHash = keccak256(key);
        uint256 existing = _memberByKey[keyHash];
        if (existing != 0) revert KeyAlreadyRegistered(existing - 1);
        if (!BLS.verifyPossession(key, Digests.possession(_l2ChainId, address(this), owner, key), proof)) {
            revert InvalidProofOfPossession(key);
        }
    }

    /// @dev A p2p endpoint: a ws:// or wss:// URL of 6 to MAX_ENDPOINT_LENGTH bytes.
    function _checkEndpoint(string calldata endpoint) internal pure {
        bytes calldata b = bytes(endpoint);
        bool ws = b.length > 5 && bytes5(b[:5]) == "ws://";
        bool wss = b.length > 6 && bytes6(b[:6]) == "wss://";
        if (!(ws || wss) || b.length > MAX_ENDPOINT_LENGTH) revert InvalidEndpoint(endpoint);
    }

    /// @dev Takes a member's bond and marks it ejected. A seated member (Active or Exiting)
    /// leaves at the next epoch; one that already left (Exited, inside its unbonding delay)
    /// changes no epoch.
    function _eject(uint256 memberId, bytes32 evidence) internal returns (uint256 bond) {
        Member storage m = _members[memberId];
        Status status = m.status;
        bond = m.bond;
        m.bond = 0;
        m.status = Status.Ejected;
        m.slashingEvidence = uint88(uint256(evidence));
        if (status == Status.Active) --_seats;
        if (status == Status.Active || status == Status.Exiting) _changed = true;
        emit MemberEjected(memberId);
    }

    /// @dev The member's storage record; reverts for an unknown id.
    function _member(uint256 memberId) internal view returns (Member storage) {
        if (memberId >= _members.length) revert UnknownMember(memberId);
        return _members[memberId];
    }

}
