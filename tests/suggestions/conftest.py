import pytest

from tests.imports.conftest import places  # noqa: F401  (the same small gazetteer as the import tests)


@pytest.fixture(autouse=True)
def _report_root(settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"
