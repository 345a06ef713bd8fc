"""Stand-in for Freqtrade (see ../README.md): only the interface a strategy sees."""
