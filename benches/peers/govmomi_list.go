// Command govmomi_list: listing every VM through a view, R times, with govmomi's Go client
// against vcsim over SOAP, the idiomatic govmomi way: govmomi.NewClient (logs in from the
// URL), then per listing view.NewManager(c).CreateContainerView(rootFolder,
// ["VirtualMachine"], recursive), v.Retrieve(["VirtualMachine"], [name,
// runtime.powerState, config.hardware.memoryMB]) into []mo.VirtualMachine, v.Destroy.
//
// Usage: govmomi_list URL R [VMS]   (URL = http://user:pass@127.0.0.1:PORT/sdk; VMS, the
// number of VMs each listing must return, defaults to what the first listing returns)
//
// One listing is done before the timed ones (and checked like them); this process's CPU
// time (user + sys, getrusage(RUSAGE_SELF)) is read right before and after the R timed
// listings. Prints one line:
// RESULT impl=... listings=... vms=... user_s=... sys_s=... wall_s=...
// Built by benches/peers/list-vms.sh with GOPATH=/usr/share/gocode GO111MODULE=off.
//
// (govmomi 0.24's ContainerView.Retrieve sends the older RetrieveProperties, which has no
// paging, rather than RetrievePropertiesEx; vcsim answers both from the same code, in one
// page.)
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func cpuTimes() (float64, float64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	secs := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return secs(ru.Utime), secs(ru.Stime)
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "govmomi_list: "+format+"\n", args...)
	os.Exit(1)
}

// list: one listing, a view over the root folder, the three properties of every VM in it,
// the view destroyed.
func list(ctx context.Context, c *govmomi.Client) ([]mo.VirtualMachine, error) {
	m := view.NewManager(c.Client)
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		return nil, fmt.Errorf("CreateContainerView: %w", err)
	}
	var vms []mo.VirtualMachine
	err = v.Retrieve(ctx, []string{"VirtualMachine"},
		[]string{"name", "runtime.powerState", "config.hardware.memoryMB"}, &vms)
	if err != nil {
		return nil, fmt.Errorf("Retrieve: %w", err)
	}
	if err := v.Destroy(ctx); err != nil {
		return nil, fmt.Errorf("DestroyView: %w", err)
	}
	return vms, nil
}

// check: expected VMs, each with a name, a power state and some memory.
func check(vms []mo.VirtualMachine, expected int, which string) {
	if len(vms) != expected {
		fail("%s: %d VMs, expected %d", which, len(vms), expected)
	}
	for _, vm := range vms {
		if vm.Name == "" || vm.Runtime.PowerState == "" || vm.Config == nil || vm.Config.Hardware.MemoryMB <= 0 {
			fail("%s: %s: incomplete: %+v", which, vm.Self.Value, vm)
		}
	}
}

func main() {
	if len(os.Args) != 3 && len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: govmomi_list URL R [VMS]")
		os.Exit(2)
	}
	u, err := url.Parse(os.Args[1])
	if err != nil {
		fail("bad URL: %v", err)
	}
	r, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fail("bad R: %v", err)
	}
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		fail("connect: %v", err)
	}
	first, err := list(ctx, c)
	if err != nil {
		fail("warm-up listing: %v", err)
	}
	expected := len(first)
	if len(os.Args) == 4 {
		if expected, err = strconv.Atoi(os.Args[3]); err != nil {
			fail("bad VMS: %v", err)
		}
	}
	check(first, expected, "warm-up listing")

	poweredOn := 0
	user0, sys0 := cpuTimes()
	start := time.Now()
	for i := 0; i < r; i++ {
		vms, err := list(ctx, c)
		if err != nil {
			fail("listing %d: %v", i, err)
		}
		check(vms, expected, fmt.Sprintf("listing %d", i))
		for _, vm := range vms {
			if vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn {
				poweredOn++
			}
		}
	}
	wall := time.Since(start).Seconds()
	user1, sys1 := cpuTimes()
	_ = poweredOn
	fmt.Printf("RESULT impl=%q listings=%d vms=%d user_s=%.6f sys_s=%.6f wall_s=%.6f\n",
		"govmomi (SOAP)", r, expected, user1-user0, sys1-sys0, wall)
}
