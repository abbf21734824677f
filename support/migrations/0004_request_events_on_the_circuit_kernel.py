"""Request events take the kernel's field names (``chorus.circuits.models.CircuitEvent``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("support", "0003_hypervision_access")]

    operations = [
        migrations.RenameField("supportrequestevent", "from_value", "from_status"),
        migrations.RenameField("supportrequestevent", "to_value", "to_status"),
        migrations.RenameField("supportrequestevent", "note", "comment"),
    ]
