// Command govmomi_loop: client CPU per call with govmomi's Go client against vcsim:
// Login → SessionIsActive → Logout, N cycles, over SOAP.
//
// Usage: govmomi_loop URL N   (URL = http://user:pass@127.0.0.1:PORT/sdk)
//
// The client (and its bootstrap, RetrieveServiceContent) is built before the loop; this
// process's CPU time (user + sys, getrusage(RUSAGE_SELF)) is read right before and after
// the loop, so start-up is excluded. Prints one line:
// RESULT impl=... calls=... user_s=... sys_s=... wall_s=...
// Built by benches/peers/run.sh with GOPATH=/usr/share/gocode GO111MODULE=off.
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
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
	fmt.Fprintf(os.Stderr, "govmomi_loop: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: govmomi_loop URL N")
		os.Exit(2)
	}
	u, err := url.Parse(os.Args[1])
	if err != nil {
		fail("bad URL: %v", err)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fail("bad N: %v", err)
	}
	userinfo := u.User
	ctx := context.Background()
	sc := soap.NewClient(u, true)
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		fail("bootstrap: %v", err)
	}
	m := session.NewManager(c)

	user0, sys0 := cpuTimes()
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := m.Login(ctx, userinfo); err != nil {
			fail("cycle %d: Login: %v", i, err)
		}
		active, err := m.SessionIsActive(ctx)
		if err != nil {
			fail("cycle %d: SessionIsActive: %v", i, err)
		}
		if !active {
			fail("cycle %d: SessionIsActive returned false", i)
		}
		if err := m.Logout(ctx); err != nil {
			fail("cycle %d: Logout: %v", i, err)
		}
	}
	wall := time.Since(start).Seconds()
	user1, sys1 := cpuTimes()
	fmt.Printf("RESULT impl=%q calls=%d user_s=%.6f sys_s=%.6f wall_s=%.6f\n",
		"govmomi (SOAP)", 3*n, user1-user0, sys1-sys0, wall)
}
