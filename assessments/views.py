from django.shortcuts import render

from .selectors import active_framework


def home(request):
    """The public landing page: what this is, for whom, how long it takes."""
    framework = active_framework()
    question_count = framework.questions.count() if framework else 0
    return render(request, "pages/home.html", {"question_count": question_count})
