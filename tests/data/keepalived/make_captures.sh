#!/bin/bash
# How keepalived_*.pcap were made: real keepalived 2.2.7 adverts in a private network
# namespace (documentation addresses only), captured with tcpdump on the veth peer.
# Needs root. Usage: make_captures.sh [OUTDIR]   (default: this directory)
set -u
OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
NS=wire-k
ip netns add $NS || exit 1
trap 'ip netns del $NS' EXIT
ip -n $NS link add wire-v0 type veth peer name wire-v1
ip -n $NS link set lo up
ip -n $NS link set wire-v0 up
ip -n $NS link set wire-v1 up
ip -n $NS addr add 198.51.100.1/24 dev wire-v0
ip -n $NS addr add 2001:db8::1/64 dev wire-v0 nodad
sleep 1
run() {  # name global-defs-extra instance-block
  local name=$1 conf
  conf=$(mktemp)
  printf 'global_defs {\n  router_id wire\n  %s\n}\n%s\n' "$2" "$3" > "$conf"
  ip netns exec $NS tcpdump -i wire-v1 -U -w "$OUT/keepalived_$name.pcap" \
    'ip proto 112 or ip6 proto 112 or arp or icmp6' 2>/dev/null &
  local tpid=$!
  sleep 1
  ip netns exec $NS keepalived -n -l -D -P -f "$conf" -p "$conf.pid" -r "$conf.vrrp.pid" \
    >/dev/null 2>&1 &
  local kpid=$!
  sleep 6
  kill $kpid; sleep 1.5   # keepalived resigns with a priority-0 advert
  kill $tpid; wait $tpid 2>/dev/null
  rm -f "$conf" "$conf.pid" "$conf.vrrp.pid"
}
run v2pass "" 'vrrp_instance t0 {
  virtual_router_id 210
  interface wire-v0
  state MASTER
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass XXXXXXXX
  }
  virtual_ipaddress { 198.51.100.100/24 }
}'
run v3ip4 "vrrp_version 3" 'vrrp_instance t1 {
  virtual_router_id 211
  interface wire-v0
  state MASTER
  priority 120
  advert_int 0.5
  virtual_ipaddress { 198.51.100.101/24 }
}'
run v3ip6 "vrrp_version 3" 'vrrp_instance t3 {
  virtual_router_id 213
  interface wire-v0
  state MASTER
  priority 100
  advert_int 1
  virtual_ipaddress { 2001:db8::100/64 }
}'
