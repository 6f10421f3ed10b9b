"""Names are matched through `verify.lib.fold.fold` now (digits, hamza on waw and yaa, apostrophes dropped rather
than breaking words): recompute the stored forms. An alias whose new form would collide with another's keeps its
old form, so that no row is lost; `manage.py check_entities` style review can merge them later."""

from django.db import migrations

from verify.lib.names import normalise


def refold(apps, schema_editor):
    for model_name in ("Source", "Actor"):
        model = apps.get_model("claims", model_name)
        for pk, name in model.objects.values_list("pk", "name"):
            model.objects.filter(pk=pk).update(normalised_name=normalise(name))
    for model_name in ("SourceAlias", "ActorAlias"):
        model = apps.get_model("claims", model_name)
        rows = list(model.objects.values_list("pk", "name", "normalised"))
        taken = {form for _pk, _name, form in rows}
        for pk, name, old in rows:
            new = normalise(name)
            if new and new != old and new not in taken:
                model.objects.filter(pk=pk).update(normalised=new)
                taken.discard(old)
                taken.add(new)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_entity_merge_note")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
