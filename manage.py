#!/usr/bin/env python
from gandan.cli import main

if __name__ == "__main__":
    main()
