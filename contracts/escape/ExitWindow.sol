// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ExitWindow
/// @notice When anyone may put the Rollup in exit mode: when the Inbox entry the finalized chain
/// consumes next, posted in L1 block b, is still unsettled at L1 block b + D + EXIT_WINDOW, where
/// D is the Inbox's inclusionDeadline (the entry is due at b + D). Or at once after a proven
/// safety violation froze settlement: nothing can settle again then.
///
/// Only the *first* unconsumed entry matters: entries are consumed in Inbox order, so it is the
/// oldest one still owed. With nothing owed the rollup can still be exited by anyone: a forced
/// transaction (`Inbox.forceInclude`, any bytes) makes an entry that a stopped committee can
/// never settle, and the window runs from its L1 block.
///
/// EXIT_WINDOW is a constant, the same on every deployment: 7200 L1 blocks, a day of 12 s
/// blocks, counted from the entry's due block. An honest committee has the entry in a settled
/// block by b + D (Rollup.settle refuses any batch otherwise), so the window is pure grace: long
/// enough that a committee riding out an outage (an L1 gas spike, a restart) is not exited, short
/// enough that users' funds are not locked for long once the committee is gone.
library ExitWindow {
    uint256 internal constant EXIT_WINDOW = 7200;

    /// @notice The first L1 block at which exit mode is allowed, given the first unconsumed
    /// entry's due block (Inbox.inboxCheckpoint); type(uint256).max when no entry is owed.
    function opensAt(uint256 nextDueAt) internal pure returns (uint256) {
        return nextDueAt == type(uint256).max ? type(uint256).max : nextDueAt + EXIT_WINDOW;
    }
}
