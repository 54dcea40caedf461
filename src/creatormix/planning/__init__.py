"""The planner: the best mix of creators for a goal and a budget, with uncertainty and the frontier.

A pure package (numpy, scipy/HiGHS, DataSketches, Plotly; ``domain`` and ``errors`` of ours): it
takes aligned arrays of candidates and returns a ``domain.plan_result.Plan``. The entry point is
``planner.make_plan``; the workspace gathers its inputs from the store (``Workspace.plan``).

Modules, in the order a plan is made: ``brief`` (validation), ``candidates``, ``seams`` (vetting's
authenticity and audience fit), ``priors``, ``costs``, ``outcomes``, ``constraints``, ``problem``,
``lagrangian`` + ``additive`` + ``highs`` (additive goals), ``coverage`` + ``overlap`` +
``sketches`` (unique reach), ``montecarlo`` + ``simulate``, ``frontier``, ``explain``, ``chart``,
``export``.
"""
