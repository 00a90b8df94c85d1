package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
)

// Guard keeps deliveries off private networks: an endpoint must be https
// and every address it is reached at public, checked when it is added and
// again at each connection (so a name that later resolves to a private
// address, DNS rebinding, is refused too). AllowPrivate lifts both rules,
// for tests against local receivers only.
type Guard struct {
	AllowPrivate bool
	// Resolver resolves names when an endpoint is added; nil is the
	// system's.
	Resolver *net.Resolver
}

// extraRefused are ranges that are neither private nor loopback nor
// link-local in Go's terms, yet no webhook should reach.
var extraRefused = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast (deprecated)
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
}

var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// refused says why ip is no place for a webhook, or "" when it is public.
func refused(ip netip.Addr) string {
	ip = ip.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	switch {
	case !ip.IsValid():
		return "not an address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsUnspecified():
		return "an unspecified address"
	case ip.IsMulticast() || ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	if nat64.Contains(ip) {
		// A NAT64 address reaches the IPv4 address in its last four bytes.
		b := ip.As16()
		return refused(netip.AddrFrom4([4]byte(b[12:])))
	}
	for _, p := range extraRefused {
		if p.Contains(ip) {
			return "a reserved address"
		}
	}
	return ""
}

// CheckURL checks raw as an endpoint: an https URL whose host resolves
// only to public addresses. The URL comes back as it will be stored; the
// error's text says what is wrong, for the admin who typed it.
func (g Guard) CheckURL(ctx context.Context, raw string) (string, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return "", fmt.Errorf("%q is not a URL: write it as https://example.com/hooks/salesbot.", clip(raw))
	case u.User != nil:
		return "", fmt.Errorf("%s carries a user name or password: put the endpoint's credentials nowhere in its URL, salesbot signs each request instead.", u.Redacted())
	case u.Scheme != "https" && !g.AllowPrivate:
		return "", fmt.Errorf("%s is not https: webhooks are sent over https only.", u.String())
	}
	u.Fragment = ""
	if g.AllowPrivate {
		return u.String(), nil
	}
	host := u.Hostname()
	ips, err := g.resolver().LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return "", fmt.Errorf("%s could not be found (no address for %s): check the URL.", u.String(), host)
	}
	for _, ip := range ips {
		if why := refused(ip); why != "" {
			return "", fmt.Errorf("%s goes to %s, %s: webhooks only reach public addresses.", u.String(), ip.Unmap(), why)
		}
	}
	return u.String(), nil
}

func (g Guard) resolver() *net.Resolver {
	if g.Resolver != nil {
		return g.Resolver
	}
	return net.DefaultResolver
}

// errRefusedAddress is a connection refused by Guard.
var errRefusedAddress = errors.New("webhooks only reach public addresses")

// control is a net.Dialer's Control: it sees the address actually dialled,
// after resolution, and refuses it unless it is public.
func (g Guard) control(_, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot read %q", errRefusedAddress, address)
	}
	if why := refused(ap.Addr()); why != "" {
		return fmt.Errorf("%w: %s is %s", errRefusedAddress, ap.Addr().Unmap(), why)
	}
	return nil
}

func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
