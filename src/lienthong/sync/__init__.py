"""The connector: the only package that knows two apps. It reads every app's outbox,
asks the rulebook (:mod:`lienthong.sync.rules`) what to do, applies it through the
target app's port, and logs every decision."""
