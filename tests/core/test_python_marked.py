"""Every user-facing string in the Python is marked for translation. A source scan: a label, help text, verbose
name, error message, flash message, ValidationError or choice label written as a plain string fails here, so a
new one cannot slip past the Arabic catalogue."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "verify"

# Apps whose strings are being marked on other branches; emptied once those are merged.
NOT_YET_MARKED: tuple[str, ...] = ()

# Plain Python (no Django, so no gettext: verify/lib returns codes the Django layer puts into words), operators'
# command output, migrations (frozen copies of old labels) and settings.
SKIPPED_PARTS = {"lib", "migrations", "management"}

TRANSLATORS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "_lazy"}
TEXT_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "message"}
MESSAGE_CALLS = {"success", "info", "warning", "error", "debug", "add_message"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
META_TEXT = {"verbose_name", "verbose_name_plural"}
# Exceptions whose message is shown to the person: as a form or flash error, a 400 text, an import's failure.
SHOWN_EXCEPTIONS = {
    "ValidationError",
    "PermissionDenied",
    "TransitionError",
    "Http404",
    "BadRequest",
    "ImportRejected",
    "FileUnreadable",
}
VALIDATORS = {"MinValueValidator", "MaxValueValidator", "RegexValidator", "MaxLengthValidator", "MinLengthValidator"}


def _plain(node: ast.AST | None) -> bool:
    """A literal someone will read: a str constant, an f-string or a concatenation of them, not a translation."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain(node.left) or _plain(node.right)
    return False


def _name(func: ast.AST | None) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _offenders(tree: ast.AST) -> list[tuple[int, str]]:
    return [(node.lineno, f"{why}: {ast.unparse(node)[:90]}") for node, why in _offending_nodes(tree)]


def _offending_nodes(tree: ast.AST) -> list[tuple[ast.expr, str]]:
    found: list[tuple[ast.expr, str]] = []

    def flag(node: ast.expr, why: str) -> None:
        found.append((node, why))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in TRANSLATORS:
                continue
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS and _plain(keyword.value):
                    flag(keyword.value, keyword.arg)
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    for value in keyword.value.values:
                        if _plain(value):
                            flag(value, "error_messages")
                if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                    for item in keyword.value.elts:
                        if isinstance(item, ast.Tuple) and len(item.elts) == 2 and _plain(item.elts[1]):
                            flag(item.elts[1], "choice label")
            relation = name in {"ForeignKey", "OneToOneField", "ManyToManyField"}
            is_model_field = _name(getattr(node.func, "value", None)) == "models" and name.endswith("Field")
            if is_model_field and not relation and node.args and _plain(node.args[0]):
                flag(node.args[0], "field verbose name")
            if name in SHOWN_EXCEPTIONS and node.args and _plain(node.args[0]):
                flag(node.args[0], name)
            if name in VALIDATORS and len(node.args) > 1 and _plain(node.args[1]):
                flag(node.args[1], "validator message")
            if name == "ValidationError" and node.args and isinstance(node.args[0], ast.Dict):
                for value in node.args[0].values:
                    if _plain(value):
                        flag(value, "ValidationError")
            if name == "add_error" and len(node.args) == 2 and _plain(node.args[1]):
                flag(node.args[1], "add_error")
            is_messages = isinstance(node.func, ast.Attribute) and _name(node.func.value) == "messages"
            if is_messages and name in MESSAGE_CALLS:
                position = 2 if name == "add_message" else 1
                if len(node.args) > position and _plain(node.args[position]):
                    flag(node.args[position], f"messages.{name}")
        if isinstance(node, ast.ClassDef):
            bases = {_name(base) for base in node.bases}
            if bases & CHOICES_BASES:
                for statement in node.body:
                    value = statement.value if isinstance(statement, ast.Assign) else None
                    if isinstance(value, ast.Tuple) and len(value.elts) >= 2 and _plain(value.elts[-1]):
                        flag(value.elts[-1], "choice label")
            # Meta's verbose names, an AppConfig's verbose_name
            for statement in node.body:
                if isinstance(statement, ast.Assign) and _plain(statement.value):
                    targets = {getattr(t, "id", "") for t in statement.targets}
                    if targets & META_TEXT:
                        flag(statement.value, "Meta")
            # Admin and forms: short_description / label set as class attributes; `description=` in decorators.
        # SOMETHING_CHOICES = [("value", "Label"), ...]
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, (ast.List, ast.Tuple))
            and any(getattr(t, "id", "").endswith("CHOICES") for t in node.targets)
        ):
            for item in node.value.elts:
                if isinstance(item, ast.Tuple) and len(item.elts) == 2 and _plain(item.elts[1]):
                    flag(item.elts[1], "choice label")
        if isinstance(node, ast.Assign) and _plain(node.value):
            for target in node.targets:
                # errors["field"] = "…", the dict a clean() method raises as a ValidationError
                if isinstance(target, ast.Subscript) and _name(target.value) == "errors":
                    flag(node.value, "error")
                if isinstance(target, ast.Attribute) and target.attr in {"short_description", "label", "help_text"}:
                    flag(node.value, target.attr)
        if isinstance(node, ast.Call) and _name(node.func) == "display":
            for keyword in node.keywords:
                if keyword.arg == "description" and _plain(keyword.value):
                    flag(keyword.value, "admin description")
    return found


def _scanned() -> list[Path]:
    paths = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_YET_MARKED or SKIPPED_PARTS & set(parts[:-1]) or parts == ("settings.py",):
            continue
        paths.append(path)
    return paths


def test_every_user_facing_string_in_the_python_is_marked():
    offenders = []
    for path in _scanned():
        for line, code in _offenders(ast.parse(path.read_text(), filename=str(path))):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}: {code}")
    assert not offenders, "Unmarked user-facing strings:\n" + "\n".join(offenders)


def test_the_scan_covers_the_apps():
    scanned = {path.relative_to(ROOT).parts[0] for path in _scanned()}
    assert {"accounts", "claims", "core", "gazetteer", "imports", "incidents", "maps", "review", "web"} <= scanned


def test_the_scan_finds_each_kind_of_unmarked_string():
    """The scan itself must be able to fail, once for each kind of string it looks for."""
    sample = """
class Form(forms.Form):
    name = forms.CharField(label="Name", help_text="Your name", error_messages={"required": "Say it"})
    kind = forms.ChoiceField(choices=[("a", "Apple")])
class Kind(models.TextChoices):
    A = "a", "Apple"
class Thing(models.Model):
    title = models.CharField("Title", max_length=3, verbose_name="Title")
    class Meta:
        verbose_name = "thing"
        verbose_name_plural = "things"
def view(request):
    messages.success(request, "Saved.")
    messages.error(request, f"Not saved: {x}")
    raise ValidationError("Bad")
def clean(self):
    self.add_error("name", "Bad name")
    raise ValidationError({"name": "Bad"})
act.short_description = "Do it"
raise PermissionDenied(f"{user} may not")
raise Http404("No such thing.")
errors["date"] = "Too late."
V = MinValueValidator(0, "Too small.")
YES_CHOICES = [("", "Either")]
class Config(AppConfig):
    verbose_name = "Imports"
@admin.display(description="Shown")
def shown(obj): ...
"""
    whys = [why.split(":")[0] for _line, why in _offenders(ast.parse(sample))]
    assert sorted(whys) == sorted(
        [
            "label",
            "help_text",
            "error_messages",
            "choice label",
            "choice label",
            "verbose_name",
            "field verbose name",
            "Meta",
            "Meta",
            "messages.success",
            "messages.error",
            "ValidationError",
            "add_error",
            "ValidationError",
            "short_description",
            "admin description",
            "PermissionDenied",
            "Http404",
            "error",
            "validator message",
            "choice label",
            "Meta",
        ]
    )


def test_marked_strings_pass_the_scan():
    sample = """
class Form(forms.Form):
    name = forms.CharField(label=_("Name"), help_text=_("Your name"), error_messages={"required": _("Say it")})
class Kind(models.TextChoices):
    A = "a", _("Apple")
    B = "b"
def view(request):
    messages.success(request, _("Saved %(n)s.") % {"n": 1})
    raise ValidationError(ngettext("one", "many", 2), code="x")
"""
    assert _offenders(ast.parse(sample)) == []


EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _eager_aliases(tree: ast.AST) -> set[str]:
    """The names under which this module imported an eager gettext (`from ... import gettext as _`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
    return names


def _frozen_at_import(tree: ast.Module) -> list[tuple[int, str]]:
    """Eager translations evaluated when the module is imported (in a class body or at module level): they would
    be frozen in the language active at start-up instead of the reader's."""
    eager = _eager_aliases(tree)
    found = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # Default values and decorators run at import time; the body does not.
            args = node.args
            for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
                visit(default)
            for decorator in getattr(node, "decorator_list", []):
                visit(decorator)
            return
        if isinstance(node, ast.Call) and _name(node.func) in eager and isinstance(node.func, ast.Name):
            found.append((node.lineno, ast.unparse(node)[:90]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_no_translation_is_frozen_at_import_time():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, code in _frozen_at_import(ast.parse(path.read_text(), filename=str(path))):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}: {code}")
    assert not offenders, "Translated at import time (use gettext_lazy):\n" + "\n".join(offenders)


def test_the_import_time_scan_finds_an_eager_translation():
    sample = """
from django.utils.translation import gettext as _, gettext_lazy
TITLE = _("Frozen")
class Form:
    label = _("Frozen too")
    lazy = gettext_lazy("Fine")
    def view(self, text=_("Frozen default")):
        return _("Fine at call time")
"""
    assert [line for line, _code in _frozen_at_import(ast.parse(sample))] == [3, 5, 7]


def _shadowed(tree: ast.AST) -> list[tuple[int, str]]:
    """Functions that call _() and also bind _ (`obj, _ = get_or_create(...)`, `for _ in`): there _ is a local
    variable, and the translation call fails."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        nodes = list(ast.walk(function))
        binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in nodes)
        calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in nodes)
        if binds and calls:
            found.append((function.lineno, function.name))
    return found


def test_no_function_shadows_the_translation_function():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        for line, name in _shadowed(ast.parse(path.read_text(), filename=str(path))):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}: {name}")
    assert not offenders, "_ is rebound where it translates:\n" + "\n".join(offenders)


def test_the_shadow_scan_finds_a_rebound_underscore():
    sample = "def view():\n    obj, _ = make()\n    return _('Saved')\ndef fine():\n    return _('Saved')\n"
    assert _shadowed(ast.parse(sample)) == [(1, "view")]
