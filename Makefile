# The two commands a new user types: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test build visualize clean mutation hand-mutants

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/policykg build
	$(BIN)/policykg visualize

build: $(STAMP)
	$(BIN)/policykg build

visualize: $(STAMP)
	$(BIN)/python visualize.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Mutation testing (mutmut; modules and tests in setup.cfg [mutmut]), apart from `make test`: it
# takes tens of minutes per module on two cores. One module: make mutation MUTANTS='policykg.sparql.params*'
MUTANTS ?=
mutation: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,mutation]'
	rm -rf mutants
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/python -m tests.mutation_score

# Hand-made mutants (module-level patterns and constants mutmut cannot change): python -m tests.hand_mutants --list
hand-mutants: $(STAMP)
	$(BIN)/python -m tests.hand_mutants

clean:
	rm -rf $(VENV) views mutants
