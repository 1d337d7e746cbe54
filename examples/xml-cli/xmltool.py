"""xmltool: check that XML files are well formed, or transform one with an XSLT stylesheet."""

import sys

import click
from lxml import etree


@click.group()
def main() -> None:
    """Validate and transform XML files."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def check(paths: tuple[str, ...]) -> None:
    """Exit 1 if any file is not well-formed XML."""
    bad = 0
    for path in paths:
        try:
            etree.parse(path)
        except etree.XMLSyntaxError as exc:
            click.echo(f"{path}: {exc}", err=True)
            bad += 1
    sys.exit(1 if bad else 0)


@main.command()
def selftest() -> None:
    """Transform a built-in document with a built-in stylesheet and print the result."""
    doc = etree.fromstring("<items><item>b</item><item>a</item></items>")
    xslt = etree.XSLT(
        etree.fromstring(
            '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            '<xsl:output method="text"/><xsl:template match="/">'
            '<xsl:for-each select="items/item"><xsl:sort/><xsl:value-of select="."/></xsl:for-each>'
            "</xsl:template></xsl:stylesheet>"
        )
    )
    click.echo(str(xslt(doc)))


if __name__ == "__main__":
    main()
