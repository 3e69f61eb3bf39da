"""The shared kernel: pieces that several apps need, written once (secret links, export
writing, input parsing, money, client addresses and rate limits). It imports none of the apps."""
