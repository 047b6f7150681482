from rak_xl.cli import entry

entry()
