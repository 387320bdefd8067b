// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Header} from "./Header.sol";

/// @notice A quorum certificate as L1 takes it: the view of the certified block, the signer
/// bitmap over the epoch's member order, and the aggregate signature (EIP-2537 G2, 256 bytes) of
/// the signers' votes `Digests.vote(chainId, rollup, epoch, viewNumber, blockHash)`.
struct QuorumCertificate {
    uint256 viewNumber;
    uint256 signers;
    bytes signature;
}

/// @notice The two-chain that finalizes the last header B of a batch (DESIGN §4, §6): B's child
/// header (`child.parentHash == hash(B)`, `child.viewNumber == B.viewNumber + 1`), the QC over B that the
/// child carries as its justify, and the QC over the child. Both QCs are signed in `epoch`.
struct CommitProof {
    uint256 epoch;
    Header child;
    QuorumCertificate justify;
    QuorumCertificate childQc;
}
