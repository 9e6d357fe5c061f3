"""Demo data of `make run` (manage.py seed_demo), seeded through the
services of every app: above them all, so that no app imports it and cases
imports none of the stage apps built on it."""
