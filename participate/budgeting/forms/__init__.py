"""Grant round forms, one module per part: rounds, projects, voting, results."""
