"""The theme app extension: an app embed that loads an up-to-date copy of the widget."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from lumen import extension_build
from lumen.extension_build import EXTENSION_ASSETS, WIDGET_SOURCE, build, stale_assets

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "extensions" / "lumen-chat"
BLOCK = (EXTENSION / "blocks" / "lumen-chat.liquid").read_text()
SCHEMA = json.loads(re.search(r"{% schema %}(.*?){% endschema %}", BLOCK, re.S).group(1))
APP = tomllib.loads((ROOT / "shopify.app.toml").read_text())


def test_committed_assets_are_an_exact_copy_of_the_widget_source():
    assert stale_assets() == [], "run: python -m lumen.extension_build"
    assert {path.name for path in WIDGET_SOURCE.iterdir()} >= {"lumen-widget.js"}
    for source in WIDGET_SOURCE.iterdir():
        assert (EXTENSION_ASSETS / source.name).read_bytes() == source.read_bytes()


def test_build_copies_changes_removes_leftovers_and_is_idempotent(tmp_path):
    source, assets = tmp_path / "widget", tmp_path / "assets"
    source.mkdir()
    (source / "lumen-widget.js").write_text("console.log(1)")
    assert build(source, assets) == ["lumen-widget.js"]
    (source / "lumen-widget.js").write_text("console.log(2)")
    (assets / "old.js").write_text("gone soon")
    assert stale_assets(source, assets) == ["lumen-widget.js", "old.js"]
    assert build(source, assets) == ["lumen-widget.js", "old.js"]
    assert sorted(path.name for path in assets.iterdir()) == ["lumen-widget.js"]
    assert (assets / "lumen-widget.js").read_text() == "console.log(2)"
    assert build(source, assets) == []


def test_check_mode_fails_on_stale_assets_and_changes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(extension_build, "EXTENSION_ASSETS", tmp_path / "assets")
    assert extension_build.main(["--check"]) == 1
    assert not (tmp_path / "assets").exists()
    assert "stale:" in capsys.readouterr().err
    assert extension_build.main([]) == 0
    assert extension_build.main(["--check"]) == 0


def test_extension_is_a_theme_extension():
    config = tomllib.loads((EXTENSION / "shopify.extension.toml").read_text())
    assert config["type"] == "theme" and config["name"]


def test_block_is_an_app_embed_with_position_and_accent_settings():
    assert SCHEMA["target"] == "body"
    settings = {setting["id"]: setting for setting in SCHEMA["settings"]}
    assert settings["position"]["type"] == "select"
    assert [option["value"] for option in settings["position"]["options"]] == [
        "bottom-right", "bottom-left"]
    assert settings["position"]["default"] == "bottom-right"
    assert settings["accent"]["type"] == "color"
    assert re.fullmatch(r"#[0-9a-f]{6}", settings["accent"]["default"])


def test_block_loads_the_widget_from_the_extension_assets_through_the_app_proxy():
    [script] = re.findall(r"<script\b.*?></script>", BLOCK, re.S)
    assert re.search(r"""src="{{ 'lumen-widget.js' \| asset_url }}\"""", script)
    for asset in re.findall(r"'([^']+)' \| asset_url", BLOCK):
        assert (EXTENSION_ASSETS / asset).is_file(), asset
    proxy = APP["app_proxy"]
    assert f'data-proxy-base="/{proxy["prefix"]}/{proxy["subpath"]}"' in script
    assert 'data-position="{{ block.settings.position' in script
    assert 'data-accent="{{ block.settings.accent' in script
    assert re.search(r"\sdefer\s", script)


def test_the_widget_reads_every_data_attribute_the_block_sets():
    widget = (WIDGET_SOURCE / "lumen-widget.js").read_text()
    for attribute in re.findall(r"data-([a-z-]+)=", BLOCK):
        camel = re.sub(r"-([a-z])", lambda match: match.group(1).upper(), attribute)
        assert f"data.{camel}" in widget, attribute
