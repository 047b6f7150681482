import sys

from rak_xl.cli import main

sys.exit(main())
