"""Peak memory of a measured child process, as the child itself reports it.

``getrusage(RUSAGE_SELF).ru_maxrss`` survives ``execve`` on Linux: a child
started from a test process that has grown to hundreds of MB reports that
figure before it allocates anything. ``VmHWM`` in ``/proc/self/status``
belongs to the new address space, so it measures the child alone; elsewhere
the rusage figure is the best there is.
"""

PEAK_KB_SOURCE = """
def peak_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
