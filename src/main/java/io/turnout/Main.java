package io.turnout;
public class Main { public static void main(String[] a) {} }
