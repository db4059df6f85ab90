"""`python -m crosscontract`: the same command as the `crosscontract` script."""

from crosscontract.cli.main import main

if __name__ == "__main__":
    main()
