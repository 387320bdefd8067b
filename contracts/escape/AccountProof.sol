// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerklePatriciaProof} from "./MerklePatriciaProof.sol";
import {RLPReader} from "./RLPReader.sol";

/// @title AccountProof
/// @notice An account of an Ethereum state trie, proven by eth_getProof's `accountProof`. The
/// L2's state root is Ethereum's (src/execution/state.ts): a secure trie, key keccak256(address),
/// value RLP([nonce, balance, storageRoot, codeHash]). An account not in the trie is empty
/// (nonce 0, balance 0), as in Ethereum since EIP-161, and its proof is a proof of absence.
library AccountProof {
    using RLPReader for RLPReader.Item;

    struct Account {
        bool exists;
        uint256 nonce;
        uint256 balance;
        bytes32 storageRoot;
        bytes32 codeHash;
    }

    /// @notice The account value at the end of the proof is not a 4-item list.
    error InvalidAccountValue(address account);

    /// @notice `account` in the state with root `stateRoot`, as `proof` shows it.
    function verify(bytes32 stateRoot, address account, bytes[] memory proof)
        internal
        pure
        returns (Account memory result)
    {
        (bool exists, bytes memory value) =
            MerklePatriciaProof.get(stateRoot, abi.encodePacked(keccak256(abi.encodePacked(account))), proof);
        if (!exists) return result;
        RLPReader.Item[] memory fields = RLPReader.toItem(value).readList();
        if (fields.length != 4) revert InvalidAccountValue(account);
        result = Account({
            exists: true,
            nonce: fields[0].readUint(),
            balance: fields[1].readUint(),
            storageRoot: fields[2].readBytes32(),
            codeHash: fields[3].readBytes32()
        });
    }
}
