"""pyvmomi_list: listing every VM through a view, R times, with pyvmomi against vcsim over
SOAP, the idiomatic pyvmomi way: per listing
content.viewManager.CreateContainerView(rootFolder, [vim.VirtualMachine], True), then
PropertyCollector.RetrievePropertiesEx with a FilterSpec whose ObjectSpec is the view
(skip=True) with a TraversalSpec over its `view` property and whose PropertySpec asks for
name, runtime.powerState, config.hardware.memoryMB of VirtualMachine,
ContinueRetrievePropertiesEx while there is a token (default page size), view.Destroy().

Usage: python pyvmomi_list.py URL R [VMS]   (URL = http://user:pass@127.0.0.1:PORT/sdk;
VMS, the number of VMs each listing must return, defaults to what the first listing
returns)

As in pyvmomi_loop.py, the stub is SoapStubAdapter + vim.ServiceInstance (speaking
vim.version.v8_0_1_0, as the other two clients), logged in with SessionManager.Login.
One listing is done before the timed ones (and checked like them); this process's CPU
time (user + sys, getrusage(RUSAGE_SELF)) is read right before and after the R timed
listings. Prints one line:
RESULT impl=... listings=... vms=... user_s=... sys_s=... wall_s=...
"""

import resource
import sys
import time
from urllib.parse import unquote, urlsplit

from pyVmomi import SoapStubAdapter, vim, vmodl

PATHS = ["name", "runtime.powerState", "config.hardware.memoryMB"]


def cpu_times():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime, ru.ru_stime


def list_vms(content):
    """One listing: a view over the root folder, the three properties of every VM in it
    (a dict per VM), the view destroyed."""
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    traversal = vmodl.query.PropertyCollector.TraversalSpec(
        name="traverseView", type=vim.view.ContainerView, path="view", skip=False)
    spec = vmodl.query.PropertyCollector.FilterSpec(
        objectSet=[vmodl.query.PropertyCollector.ObjectSpec(
            obj=view, skip=True, selectSet=[traversal])],
        propSet=[vmodl.query.PropertyCollector.PropertySpec(
            type=vim.VirtualMachine, all=False, pathSet=PATHS)])
    collector = content.propertyCollector
    vms = []
    result = collector.RetrievePropertiesEx(
        specSet=[spec], options=vmodl.query.PropertyCollector.RetrieveOptions())
    while result is not None:
        for obj in result.objects:
            props = {p.name: p.val for p in obj.propSet}
            props["obj"] = obj.obj
            vms.append(props)
        if not result.token:
            break
        result = collector.ContinueRetrievePropertiesEx(token=result.token)
    view.Destroy()
    return vms


def check(vms, expected, which):
    """expected VMs, each with a name, a power state and some memory."""
    if len(vms) != expected:
        raise SystemExit("pyvmomi_list: {}: {} VMs, expected {}".format(which, len(vms), expected))
    for vm in vms:
        if not vm.get("name") or not vm.get("runtime.powerState") or \
                not vm.get("config.hardware.memoryMB", 0) > 0:
            raise SystemExit("pyvmomi_list: {}: incomplete: {}".format(which, vm))


def main():
    if len(sys.argv) not in (3, 4):
        print("usage: pyvmomi_list.py URL R [VMS]", file=sys.stderr)
        return 2
    parts = urlsplit(sys.argv[1])
    r = int(sys.argv[2])
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    endpoint = "{}://{}:{}{}".format(parts.scheme, parts.hostname, parts.port, parts.path)
    stub = SoapStubAdapter(url=endpoint, version="vim.version.v8_0_1_0")
    si = vim.ServiceInstance("ServiceInstance", stub)
    content = si.RetrieveContent()
    content.sessionManager.Login(user, password, None)

    first = list_vms(content)
    expected = int(sys.argv[3]) if len(sys.argv) == 4 else len(first)
    check(first, expected, "warm-up listing")

    powered_on = 0
    user0, sys0 = cpu_times()
    start = time.perf_counter()
    for i in range(r):
        vms = list_vms(content)
        check(vms, expected, "listing {}".format(i))
        powered_on += sum(1 for vm in vms
                          if vm["runtime.powerState"] == vim.VirtualMachine.PowerState.poweredOn)
    wall = time.perf_counter() - start
    user1, sys1 = cpu_times()
    print('RESULT impl="pyvmomi (SOAP)" listings={} vms={} user_s={:.6f} sys_s={:.6f} wall_s={:.6f}'
          .format(r, expected, user1 - user0, sys1 - sys0, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
