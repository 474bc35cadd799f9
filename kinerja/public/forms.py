"""Forms of community participation, for importers outside kinerja.public: each product keeps its
own in its sub-package (survey, complaints, forum), the shared ones are in kinerja.public.web.

The product sub-packages never import this module (it imports them)."""

from .complaints.forms import (
    ComplaintActionForm,
    ComplaintForm,
    InboxFilterForm,
    RateForm,
    RemoveForm,
    ReopenForm,
    TrackForm,
)
from .forum.forms import (
    ForumSignupForm,
    PostForm,
    ReportForm,
    TopicForm,
)
from .survey.forms import (
    DATE_FORMATS,
    SLOT_INPUT,
    DeviceForm,
    FollowUpForm,
    PaperImportForm,
    PaperRowForm,
    PaperRowFormSet,
    PopulationForm,
    QuestionForm,
    ServiceForm,
    SurveyForm,
)
from .web import (
    HONEYPOT,
    HoneypotMixin,
    SearchForm,
    TargetField,
)

__all__ = [
    "DATE_FORMATS",
    "HONEYPOT",
    "SLOT_INPUT",
    "ComplaintActionForm",
    "ComplaintForm",
    "DeviceForm",
    "FollowUpForm",
    "ForumSignupForm",
    "HoneypotMixin",
    "InboxFilterForm",
    "PaperImportForm",
    "PaperRowForm",
    "PaperRowFormSet",
    "PopulationForm",
    "PostForm",
    "QuestionForm",
    "RateForm",
    "RemoveForm",
    "ReopenForm",
    "ReportForm",
    "SearchForm",
    "ServiceForm",
    "SurveyForm",
    "TargetField",
    "TopicForm",
    "TrackForm",
]
