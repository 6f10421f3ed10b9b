"""Place names are matched through `verify.lib.fold.fold` now, which also folds the alef forms, taa marbuta and
alef maqsura: "ادلب" finds "إدلب". Recompute every place's search names the way `Place.save` does."""

from django.db import migrations

from verify.lib.gazetteer import search_names


def refold(apps, schema_editor):
    Place = apps.get_model("gazetteer", "Place")
    for place in Place.objects.only("pk", "name", "name_ar", "alternative_names").iterator():
        value = search_names([place.name, place.name_ar, *place.alternative_names])
        Place.objects.filter(pk=place.pk).update(search_names=value)


class Migration(migrations.Migration):
    dependencies = [("gazetteer", "0001_initial")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
