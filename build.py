#!/usr/bin/env python3
"""The command line of sovet: python build.py [build|serve|new|check] ..."""

import sys

from sovet.cli import program

if __name__ == "__main__":
    sys.exit(program())
