"""pyvmomi_loop: client CPU per call with pyvmomi against vcsim:
Login -> SessionIsActive -> Logout, N cycles, over SOAP.

Usage: python pyvmomi_loop.py URL N   (URL = http://user:pass@127.0.0.1:PORT/sdk)

SmartConnect would log in by itself, so the raw stub is used instead:
SoapStubAdapter + vim.ServiceInstance("ServiceInstance", stub). The stub and the
bootstrap (RetrieveContent) are done before the loop; this process's CPU time
(user + sys, getrusage(RUSAGE_SELF)) is read right before and after the loop, so
interpreter start-up and imports are excluded. Prints one line:
RESULT impl=... calls=... user_s=... sys_s=... wall_s=...
"""

import resource
import sys
import time
from urllib.parse import unquote, urlsplit

from pyVmomi import SoapStubAdapter, vim


def cpu_times():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime, ru.ru_stime


def main():
    if len(sys.argv) != 3:
        print("usage: pyvmomi_loop.py URL N", file=sys.stderr)
        return 2
    parts = urlsplit(sys.argv[1])
    n = int(sys.argv[2])
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    endpoint = "{}://{}:{}{}".format(parts.scheme, parts.hostname, parts.port, parts.path)
    # The release the other two clients speak (SOAPAction urn:vim25/8.0.1.0).
    stub = SoapStubAdapter(url=endpoint, version="vim.version.v8_0_1_0")
    si = vim.ServiceInstance("ServiceInstance", stub)
    sm = si.RetrieveContent().sessionManager

    user0, sys0 = cpu_times()
    start = time.perf_counter()
    for i in range(n):
        session = sm.Login(user, password, "en_US")
        if not sm.SessionIsActive(session.key, session.userName):
            print("pyvmomi_loop: cycle {}: SessionIsActive returned false".format(i),
                  file=sys.stderr)
            return 1
        sm.Logout()
    wall = time.perf_counter() - start
    user1, sys1 = cpu_times()
    print('RESULT impl="pyvmomi (SOAP)" calls={} user_s={:.6f} sys_s={:.6f} wall_s={:.6f}'
          .format(3 * n, user1 - user0, sys1 - sys0, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
