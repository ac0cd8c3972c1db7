"""What the system app tells the others (event types, past tense)."""

EMPLOYEE_CREATED = "EmployeeCreated"
EMPLOYEE_UPDATED = "EmployeeUpdated"
EMPLOYEE_DELETED = "EmployeeDeleted"
USER_CREATED = "UserCreated"
USER_UPDATED = "UserUpdated"
USER_DELETED = "UserDeleted"
