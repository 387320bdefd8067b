// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "../bls/BLS.sol";

/// @title KeyTable
/// @notice An epoch's keys stored as contract code ("SSTORE2"): reading a key costs one
/// EXTCODECOPY (a cold account once, then ~100 gas) instead of four cold SLOADs (8,400 gas).
/// That is what keeps a non-signer under the 6,000-gas target.
///
/// A page is the code 0x00 ++ aggregateKey ++ negatedKey[0..k) (k <= 128), every point a 128-byte
/// EIP-2537 G1 encoding. The leading STOP byte makes a call to the page a no-op. Keys are stored
/// negated so that "aggregate key minus non-signers" is a chain of G1 additions with no
/// negation on the hot path. Page size is at most 1 + 129 * 128 = 16,513 bytes (< EIP-170's 24,576).
library KeyTable {
    uint256 internal constant KEYS_PER_PAGE = 128;
    uint256 internal constant POINT = 128;

    error PageCreationFailed();

    /// @dev Deploys the page of keys[from .. from + 128): the aggregate key, then those keys negated.
    /// Keys are validated at registration, so negating them cannot fail.
    function writePage(bytes memory aggregate, bytes[] memory keys, uint256 from) internal returns (address) {
        uint256 to = keys.length < from + KEYS_PER_PAGE ? keys.length : from + KEYS_PER_PAGE;
        bytes memory body = new bytes(POINT * (1 + to - from));
        _copyPoint(aggregate, body, 0);
        for (uint256 i = from; i < to; ++i) _copyPoint(BLS.negateG1(keys[i]), body, 1 + i - from);
        return _write(body);
    }

    /// @dev Deploys a page holding `body` behind a STOP byte.
    function _write(bytes memory body) private returns (address page) {
        uint256 size = body.length + 1;
        // Init code: PUSH2 size, DUP1, PUSH1 10, RETURNDATASIZE(0), CODECOPY(0, 10, size),
        // RETURNDATASIZE(0), RETURN(0, size); followed by the runtime 0x00 ++ body.
        bytes memory init = abi.encodePacked(hex"61", uint16(size), hex"80600a3d393df3", hex"00", body);
        // Safe: reads the init code from its own bytes array; CREATE writes no Solidity memory.
        assembly ("memory-safe") {
            page := create(0, add(init, 0x20), mload(init))
        }
        if (page == address(0)) revert PageCreationFailed();
    }

    /// @dev Copies the aggregate key of the page to `dest` (128 bytes of memory).
    function copyAggregate(address page, uint256 dest) internal view {
        // Safe: the caller owns [dest, dest + 128); EXTCODECOPY writes exactly that range.
        assembly ("memory-safe") {
            extcodecopy(page, dest, 1, 128)
        }
    }

    /// @dev Copies the negated key at `slot` of the page (0..127) to `dest` (128 bytes).
    function copyNegatedKey(address page, uint256 slot, uint256 dest) internal view {
        // Safe: as above; slot < 128 keeps the offset inside the page.
        assembly ("memory-safe") {
            extcodecopy(page, dest, add(129, shl(7, slot)), 128)
        }
    }

    function _copyPoint(bytes memory point, bytes memory body, uint256 slot) private pure {
        // Safe: `point` is a 128-byte G1 encoding (a registered key or a precompile's output) and
        // `body` was allocated with room for every slot written.
        assembly ("memory-safe") {
            mcopy(add(add(body, 0x20), shl(7, slot)), add(point, 0x20), 128)
        }
    }
}
