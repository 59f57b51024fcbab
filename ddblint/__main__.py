"""Allow ``python -m ddblint``."""

from ddblint.cli import main

if __name__ == "__main__":
    main()
