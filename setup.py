"""Packages: every package under optimizer/ (found, never listed by hand), plus the jinja2 templates, which live
at the top of the repository (templates/) and install as optimizer/templates. Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["optimizer", "optimizer.*"]), "optimizer.templates"],
    package_dir={"optimizer.templates": "templates"},
)
