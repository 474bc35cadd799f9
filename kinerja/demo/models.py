"""What `seed_demo` has done to this database: one row per completed stage.

Each stage of the demo (the organisation, then each app's extension) runs in its own
transaction and records its row in that same transaction, so a seed interrupted part-way (a
crash, a killed process, a full disk) leaves only whole stages behind, and running the same
command again continues with the first stage not recorded.
"""

from __future__ import annotations

from django.db import models


class DemoStage(models.Model):
    name = models.CharField(max_length=80, unique=True)
    employees = models.PositiveIntegerField()  # the --employees of the run that did it
    seed = models.IntegerField()
    options = models.JSONField(default=dict)  # the other options that shape the data
    seconds = models.FloatField()
    summary = models.TextField(blank=True)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tahap demo"
        verbose_name_plural = "tahap demo"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
