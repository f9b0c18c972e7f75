"""Pages of a region and its assessments. Views parse the request, call a selector or a
service, and render. Every page first checks membership: outsiders get 404."""

from assessments.views.questions import comment_resolve, question_detail
from assessments.views.regions import assessment_start, region_detail, region_list
from assessments.views.submission import assessment_check, assessment_reopen, assessment_submit
from assessments.views.tasks import assessment_tasks
from assessments.views.themes import theme_assign, theme_detail

__all__ = [
    "assessment_check",
    "assessment_reopen",
    "assessment_start",
    "assessment_submit",
    "assessment_tasks",
    "comment_resolve",
    "question_detail",
    "region_detail",
    "region_list",
    "theme_assign",
    "theme_detail",
]
