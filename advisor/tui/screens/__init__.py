"""The wizard's screens: six question steps, the results, help and export dialogs."""
