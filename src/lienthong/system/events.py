"""What the system app tells the others. Types are ``<Prefix><Verb>``, verbs
``Created`` / ``Updated`` / ``Deleted`` (see :class:`lienthong.kernel.catalog.Catalog`)."""

EMPLOYEE = "Employee"  # EmployeeCreated, EmployeeUpdated, EmployeeDeleted
USER = "User"          # UserCreated, UserUpdated, UserDeleted
