from .cli import main

# ``python -m mechgraph`` exits the ordinary way (SystemExit, interpreter teardown), so
# that it can be run in-process (runpy); the installed ``mechgraph`` command skips the
# teardown (mechgraph.cli._Program)
main.main(prog_name="mechgraph")
