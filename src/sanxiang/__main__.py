"""`python -m sanxiang` is the same as the `sanxiang` console script."""

from sanxiang.cli.main import main

if __name__ == "__main__":
    main()
