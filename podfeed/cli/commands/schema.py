"""``podfeed schema``: the JSON Schema of config.yaml, for editors and validators."""

from __future__ import annotations

import click

__all__ = ["schema_command"]


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of config.yaml, for editors and validators.

    The same table of keys drives `podfeed check`, this schema and docs/configuration.md.
    Editors with YAML support read it from the `# yaml-language-server: $schema=...` line that
    `podfeed init` writes first; point that line at a local copy to work offline.

    \b
    Example:
        podfeed schema > podfeed.schema.json
        check-jsonschema --schemafile podfeed.schema.json config.yaml
    """
    from podfeed.config.schema import schema_text

    click.echo(schema_text(), nl=False)
