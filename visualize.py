"""Draw the network views: the same as `policykg visualize` (see `policykg visualize --help`)."""

from policykg.cli import cli

if __name__ == "__main__":
    cli(["visualize", *__import__("sys").argv[1:]], prog_name="visualize.py")
