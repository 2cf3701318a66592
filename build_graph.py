"""Build the knowledge graph: the same as `policykg build` (see `policykg build --help`)."""

from policykg.cli import cli

if __name__ == "__main__":
    cli(["build", *__import__("sys").argv[1:]], prog_name="build_graph.py")
